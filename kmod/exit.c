// SPDX-License-Identifier: GPL-2.0
/*
 * Automatic leave on exit.
 *
 * The probe on sched_process_exit runs, preemption disabled, for every
 * thread exit in the system, before exit_notify() wakes the parent.  When
 * the thread group is dead and the process is a member somewhere, it marks
 * the process dead under a spinlock: from then on every reply skips it, so
 * it is gone before the parent's wait() returns.  Removing the memberships
 * takes each netns's table mutex and sends events, so a work item (the
 * reaper) does it afterwards, with reason PG2_REASON_EXIT.
 */

#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <trace/events/sched.h>

#include "exit.h"
#include "proc.h"
#include "table.h"
#include "trace.h"

/* See exit.h: orders the reaper against netns teardown. */
DEFINE_MUTEX(pg2_reap_mutex);

static void pg2_reap(struct work_struct *work);

static LIST_HEAD(pg2_reap_list);	/* under pg2_procs_lock */
static DECLARE_WORK(pg2_reap_work, pg2_reap);
static struct tracepoint *pg2_exit_tp;

/*
 * Marks @proc dead, in one step for the dumps of every table and group it
 * has members in: their exits counts are odd meanwhile.  Under
 * pg2_procs_lock, which keeps those tables and groups.  The write sections
 * nest, all of one lockdep class: raw ones, which lockdep does not track
 * (pg2_procs_lock, held, is what serialises the writers).
 */
static void pg2_mark_dead_locked(struct pg2_proc *proc)
{
	struct pg2_member *member;
	struct pg2_net *pn, *next;
	LIST_HEAD(tables);

	lockdep_assert_held(&pg2_procs_lock);
	list_for_each_entry(member, &proc->members, proc_link) {
		pn = member->key.group->pn;
		if (list_empty(&pn->exit_link)) {
			raw_write_seqcount_begin(&pn->exits);
			list_add(&pn->exit_link, &tables);
		}
		/* A process is in a group once at most. */
		raw_write_seqcount_begin(&member->key.group->exits);
		WRITE_ONCE(pn->exits_pending, pn->exits_pending + 1);
		WRITE_ONCE(member->key.group->exits_pending,
			   member->key.group->exits_pending + 1);
	}
	WRITE_ONCE(proc->dead, true);
	list_for_each_entry(member, &proc->members, proc_link)
		raw_write_seqcount_end(&member->key.group->exits);
	list_for_each_entry_safe(pn, next, &tables, exit_link) {
		list_del_init(&pn->exit_link);
		raw_write_seqcount_end(&pn->exits);
	}
}

/* Idempotent: every thread that sees signal->live at 0 may call it. */
static void pg2_mark_dead(struct pid *pid)
{
	struct pg2_proc *proc;

	rcu_read_lock();
	proc = pg2_proc_lookup(pid);
	if (proc) {
		spin_lock(&pg2_procs_lock);
		if (!proc->dead && !proc->unhashed) {
			pg2_mark_dead_locked(proc);
			list_add_tail(&proc->reap_link, &pg2_reap_list);
			queue_work(system_unbound_wq, &pg2_reap_work);
		}
		spin_unlock(&pg2_procs_lock);
	}
	rcu_read_unlock();
}

static void pg2_exit_probe(void *data, struct task_struct *task)
{
	/*
	 * do_exit() decrements live before this tracepoint; the full barrier
	 * of that atomic_dec_and_test() pairs with the one in a racing join.
	 */
	if (atomic_read(&task->signal->live))
		return;
	pg2_mark_dead(task_tgid(task));
}

/* The pg2_net of the first membership of @proc, NULL when none is left. */
static struct pg2_net *pg2_reap_next_net(struct pg2_proc *proc)
{
	struct pg2_member *member;
	struct pg2_net *pn = NULL;

	spin_lock(&pg2_procs_lock);
	member = list_first_entry_or_null(&proc->members, struct pg2_member,
					  proc_link);
	if (member)
		pn = member->key.group->pn;
	spin_unlock(&pg2_procs_lock);
	return pn;
}

static void pg2_reap_proc(struct pg2_proc *proc)
{
	unsigned int removed = 0;
	struct pg2_net *pn;

	while ((pn = pg2_reap_next_net(proc))) {
		pg2_table_lock(pn);
		removed += pg2_table_drop_proc(pn, proc);
		pg2_table_unlock(pn);
	}
	trace_pg2_exit_cleanup(pid_nr(proc->pid), removed);

	spin_lock(&pg2_procs_lock);
	pg2_proc_unhash(proc);
	spin_unlock(&pg2_procs_lock);
	pg2_proc_free(proc);
}

static void pg2_reap(struct work_struct *work)
{
	struct pg2_proc *proc, *next;
	LIST_HEAD(dead);

	mutex_lock(&pg2_reap_mutex);
	spin_lock(&pg2_procs_lock);
	list_splice_init(&pg2_reap_list, &dead);
	spin_unlock(&pg2_procs_lock);

	list_for_each_entry_safe(proc, next, &dead, reap_link)
		pg2_reap_proc(proc);
	mutex_unlock(&pg2_reap_mutex);
}

static void pg2_find_exit_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		pg2_exit_tp = tp;
}

int pg2_exit_init(void)
{
	check_trace_callback_type_sched_process_exit(pg2_exit_probe);
	for_each_kernel_tracepoint(pg2_find_exit_tp, NULL);
	if (!pg2_exit_tp)
		return -ENOENT;
	return tracepoint_probe_register(pg2_exit_tp, pg2_exit_probe, NULL);
}

/* Waits until every process marked dead so far has left its tables. */
void pg2_exit_flush(void)
{
	flush_work(&pg2_reap_work);
}

/* Stops the probe and reaps every process it marked dead. */
void pg2_exit_fini(void)
{
	tracepoint_probe_unregister(pg2_exit_tp, pg2_exit_probe, NULL);
	tracepoint_synchronize_unregister();
	pg2_exit_flush();
}
