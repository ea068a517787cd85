// SPDX-License-Identifier: GPL-2.0
/*
 * The global index of member processes, keyed by the struct pid of their
 * thread group.  A struct pid reference, not a number, names a process, so
 * a reused pid number can never inherit a membership.
 */

#include <linux/pid.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "limits.h"
#include "proc.h"

DEFINE_SPINLOCK(pg2_procs_lock);

static struct rhashtable pg2_procs;

static const struct rhashtable_params pg2_procs_params = {
	.head_offset = offsetof(struct pg2_proc, node),
	.key_offset = offsetof(struct pg2_proc, pid),
	.key_len = sizeof(struct pid *),
	.automatic_shrinking = true,
};

int pg2_procs_init(void)
{
	return rhashtable_init(&pg2_procs, &pg2_procs_params);
}

/* Called once every membership is gone and RCU readers are done. */
void pg2_procs_destroy(void)
{
	rhashtable_destroy(&pg2_procs);
}

/*
 * The caller keeps the entry alive with RCU or pg2_procs_lock; the lookup
 * takes rcu_read_lock() itself because a spinlock does not satisfy
 * rhashtable's RCU checks.
 */
struct pg2_proc *pg2_proc_lookup(struct pid *pid)
{
	return rhashtable_lookup_fast(&pg2_procs, &pid, pg2_procs_params);
}

struct pg2_proc *pg2_proc_alloc(struct pid *pid)
{
	struct pg2_proc *proc = kzalloc(sizeof(*proc), PG2_GFP);

	if (!proc)
		return NULL;
	proc->pid = get_pid(pid);
	INIT_LIST_HEAD(&proc->members);
	INIT_LIST_HEAD(&proc->reap_link);
	return proc;
}

static void pg2_proc_free_rcu(struct rcu_head *rcu)
{
	struct pg2_proc *proc = container_of(rcu, struct pg2_proc, rcu);

	put_pid(proc->pid);
	kfree(proc);
}

/* Frees a pg2_proc that never entered the index. */
void pg2_proc_discard(struct pg2_proc *proc)
{
	put_pid(proc->pid);
	kfree(proc);
}

/* Frees a pg2_proc that readers may still see; for unhashed entries. */
void pg2_proc_free(struct pg2_proc *proc)
{
	call_rcu(&proc->rcu, pg2_proc_free_rcu);
}

/*
 * Under pg2_procs_lock.  Returns the entry now in the index for @proc's pid:
 * @proc itself, or an ERR_PTR.
 */
struct pg2_proc *pg2_proc_insert(struct pg2_proc *proc)
{
	int err;

	lockdep_assert_held(&pg2_procs_lock);
	err = rhashtable_insert_fast(&pg2_procs, &proc->node,
				     pg2_procs_params);
	return err ? ERR_PTR(err) : proc;
}

/* Under pg2_procs_lock; the caller frees @proc with pg2_proc_free(). */
void pg2_proc_unhash(struct pg2_proc *proc)
{
	lockdep_assert_held(&pg2_procs_lock);
	rhashtable_remove_fast(&pg2_procs, &proc->node, pg2_procs_params);
	proc->unhashed = true;
}

/*
 * Whether replies may show the process: not past its last thread's exit
 * (the probe marked it dead) and not yet reaped by its parent, which covers
 * a join that raced with the exit until it undoes itself.
 */
bool pg2_proc_alive(const struct pg2_proc *proc)
{
	return !READ_ONCE(proc->dead) && pid_has_task(proc->pid, PIDTYPE_TGID);
}
