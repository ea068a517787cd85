/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PG2_PROC_H
#define _PG2_PROC_H

#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>

struct pid;

/*
 * A process that is a member somewhere: the global index entry keyed by the
 * struct pid of its thread group, linking its memberships in every netns.
 */
struct pg2_proc {
	struct rhash_head node;
	struct pid *pid;		/* the key; a reference is held */
	struct list_head members;	/* pg2_member.proc_link */
	struct list_head reap_link;	/* on the reaper's list once dead */
	bool dead;			/* the last thread exited */
	bool unhashed;			/* left the index, freed after RCU */
	struct rcu_head rcu;
};

/*
 * Guards the index, every pg2_proc's fields and member lists.  Innermost
 * lock: taken under a netns's table lock, and by the exit probe with
 * preemption disabled, so it never sleeps.
 */
extern spinlock_t pg2_procs_lock;

int pg2_procs_init(void);
void pg2_procs_destroy(void);

struct pg2_proc *pg2_proc_lookup(struct pid *pid);
struct pg2_proc *pg2_proc_insert(struct pg2_proc *proc);
struct pg2_proc *pg2_proc_alloc(struct pid *pid);
void pg2_proc_discard(struct pg2_proc *proc);
void pg2_proc_free(struct pg2_proc *proc);
void pg2_proc_unhash(struct pg2_proc *proc);
bool pg2_proc_alive(const struct pg2_proc *proc);

#endif /* _PG2_PROC_H */
