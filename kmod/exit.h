/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PG2_EXIT_H
#define _PG2_EXIT_H

#include <linux/mutex.h>

/*
 * Held by the reaper while it removes dead processes' memberships and by a
 * netns's teardown, so that a pg2_net the reaper reached through a
 * membership cannot be freed under it.  Outermost lock.
 */
extern struct mutex pg2_reap_mutex;

int pg2_exit_init(void);
void pg2_exit_flush(void);
void pg2_exit_fini(void);

#endif /* _PG2_EXIT_H */
