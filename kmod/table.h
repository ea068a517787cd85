/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PG2_TABLE_H
#define _PG2_TABLE_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/seqlock.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>
#include <linux/pg2.h>

struct net;
struct pid_namespace;
struct task_struct;
struct pg2_proc;

/* The table of one network namespace. */
struct pg2_net {
	struct net *net;
	struct mutex lock;		/* serialises every change */
	/*
	 * Odd while a holder of lock changes the table (changes) and while
	 * the exit probe marks dead a process with members here (exits): a
	 * dump that either count moved across is retried by its reader.
	 */
	seqcount_t changes;
	seqcount_spinlock_t exits;	/* pg2_procs_lock */
	struct list_head exit_link;	/* the probe's tables, pg2_procs_lock */
	/* Members marked dead, still to leave (pg2_procs_lock). */
	unsigned int exits_pending;
	struct list_head touched;	/* groups being changed, under lock */
	struct rhashtable groups;	/* pg2_group by name */
	struct xarray group_ids;	/* pg2_group by id: the dump order */
	u32 next_group_id;
	unsigned int nr_groups;
	struct rhashtable members;	/* pg2_member by pg2_member_key */
	atomic64_t generation;
	u32 node_id;			/* this node's id, 0 until set */
	u32 replace_epoch;		/* current PG2_CMD_NODE_REPLACE */
};

/* Group ids are below this: it names no group. */
#define PG2_NO_GROUP_ID		U32_MAX

struct pg2_group {
	struct rhash_head node;
	struct pg2_net *pn;
	struct xarray members;		/* pg2_member by id: the dump order */
	/*
	 * As pg2_net's, for the dumps of this group's members alone: changes
	 * is odd while the table's holder changes them (and the group is on
	 * pg2_net.touched), exits while the probe marks one dead.
	 */
	seqcount_t changes;
	seqcount_spinlock_t exits;	/* pg2_procs_lock */
	unsigned int exits_pending;	/* pg2_procs_lock */
	struct list_head touch_link;
	u32 next_member_id;
	u32 id;
	unsigned int nr_members;	/* every node's, dead ones included */
	kuid_t creator;
	struct rcu_head rcu;
	char name[PG2_NAME_MAX + 1];	/* the key, NUL-padded */
};

/* Exactly one of proc (a local member) and node_id + pid (remote) is set. */
struct pg2_member_key {
	struct pg2_group *group;
	struct pg2_proc *proc;
	u32 node_id;
	u32 pid;
};

struct pg2_data {
	struct rcu_head rcu;
	u16 len;
	u8 bytes[];
};

struct pg2_member {
	struct rhash_head node;
	struct pg2_member_key key;
	struct list_head proc_link;	/* local: in pg2_proc.members */
	struct pg2_data __rcu *data;
	kuid_t charged;			/* its quota's uid, or INVALID_UID */
	u32 id;
	u32 count;
	u32 replace_epoch;
	struct rcu_head rcu;
};

/* Member data of a request: absent (len < 0), empty (clears) or bytes. */
struct pg2_blob {
	const void *bytes;
	int len;
};

struct pg2_net *pg2_net(const struct net *net);
u64 pg2_generation(const struct pg2_net *pn);
/* The netns's inode number, as tracepoints report it. */
u32 pg2_netns(const struct pg2_net *pn);

int pg2_table_init_net(struct pg2_net *pn, struct net *net);
void pg2_table_exit_net(struct pg2_net *pn);

/*
 * Every change of a table is made between these, and every change of a
 * group's members after pg2_group_touch() too.
 */
void pg2_table_lock(struct pg2_net *pn);
void pg2_table_unlock(struct pg2_net *pn);
void pg2_group_touch(struct pg2_group *group);

/* Readers: under rcu_read_lock() or the table lock. */
struct pg2_group *pg2_group_find(struct pg2_net *pn, const char *key);
bool pg2_member_local(const struct pg2_member *member);
u32 pg2_member_node(const struct pg2_net *pn, const struct pg2_member *member);
u32 pg2_member_pid(const struct pg2_member *member, struct pid_namespace *ns);
u32 pg2_member_init_pid(const struct pg2_member *member);
void pg2_group_count(struct pg2_group *group, u32 *members, u32 *local);

/*
 * Writers: under the table lock.  A charge of INVALID_UID is a caller the
 * limits do not bind.  -EOVERFLOW: a join count would pass U32_MAX.
 */
u64 pg2_bump(struct pg2_net *pn);
int pg2_group_create(struct pg2_net *pn, const char *key, kuid_t creator,
		     bool privileged);
void pg2_group_delete(struct pg2_net *pn, struct pg2_group *group);
int pg2_local_join(struct pg2_group *group, struct task_struct *task,
		   const struct pg2_blob *data, kuid_t charge);
void pg2_local_leave(struct pg2_group *group, struct pid *pid);
int pg2_remote_join(struct pg2_group *group, u32 node_id, u32 pid, u32 count,
		    const struct pg2_blob *data, bool privileged);
void pg2_remote_leave(struct pg2_group *group, u32 node_id, u32 pid,
		      u32 count);
unsigned int pg2_node_drop(struct pg2_net *pn, u32 node_id);
void pg2_node_replace_begin(struct pg2_net *pn);
int pg2_node_replace_one(struct pg2_net *pn, u32 node_id, const char *key,
			 u32 pid, u32 count, const struct pg2_blob *data,
			 bool privileged);
unsigned int pg2_node_replace_end(struct pg2_net *pn, u32 node_id);
void pg2_node_set_id(struct pg2_net *pn, u32 node_id);
unsigned int pg2_table_drop_proc(struct pg2_net *pn, struct pg2_proc *proc);

#endif /* _PG2_TABLE_H */
