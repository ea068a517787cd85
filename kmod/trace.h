/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pg2:* tracepoints, the eBPF observability surface.  Their names and
 * fields are stable: Documentation/design.md lists them.  netns is the
 * inode number of the network namespace (as in /proc/PID/ns/net); pid is
 * in the initial pid namespace; generation is the table's after the change.
 */
#ifndef _PG2_TRACE_KINDS
#define _PG2_TRACE_KINDS
/* Kinds of pg2_lookup and pg2_remote_sync events. */
#define PG2_LOOKUP_MEMBERS	0
#define PG2_LOOKUP_CLOSEST	1
#define PG2_SYNC_JOIN		0
#define PG2_SYNC_LEAVE		1
#define PG2_SYNC_DROP		2
#define PG2_SYNC_REPLACE	3
#endif

#undef TRACE_SYSTEM
#define TRACE_SYSTEM pg2

#if !defined(_PG2_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PG2_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(pg2_group_class,
		    TP_PROTO(u32 netns,
			     const char *name,
			     u32 value,
			     u64 generation),
		    TP_ARGS(netns, name, value, generation),
		    TP_STRUCT__entry(__field(u32, netns)
				     __string(name, name)
				     __field(u32, value)
				     __field(u64, generation)),
		    TP_fast_assign(__entry->netns = netns;
				   __assign_str(name, name);
				   __entry->value = value;
				   __entry->generation = generation;),
		    TP_printk("netns=%u group=%s value=%u generation=%llu",
			      __entry->netns,
			      __get_str(name),
			      __entry->value,
			      __entry->generation)
);

/* value: the creator's uid in the initial user namespace. */
DEFINE_EVENT(pg2_group_class, pg2_group_create,
	     TP_PROTO(u32 netns,
		      const char *name,
		      u32 value,
		      u64 generation),
	     TP_ARGS(netns, name, value, generation));

/* value: the number of members dropped with the group. */
DEFINE_EVENT(pg2_group_class, pg2_group_delete,
	     TP_PROTO(u32 netns,
		      const char *name,
		      u32 value,
		      u64 generation),
	     TP_ARGS(netns, name, value, generation));

/* count: the join count after the join. */
TRACE_EVENT(pg2_join,
	    TP_PROTO(u32 netns,
		     const char *name,
		     u32 node_id,
		     u32 pid,
		     u32 count,
		     u64 generation),
	    TP_ARGS(netns, name, node_id, pid, count, generation),
	    TP_STRUCT__entry(__field(u32, netns)
			     __string(name, name)
			     __field(u32, node_id)
			     __field(u32, pid)
			     __field(u32, count)
			     __field(u64, generation)),
	    TP_fast_assign(__entry->netns = netns;
			   __assign_str(name, name);
			   __entry->node_id = node_id;
			   __entry->pid = pid;
			   __entry->count = count;
			   __entry->generation = generation;),
	    TP_printk("netns=%u group=%s node=%u pid=%u count=%u generation=%llu",
		      __entry->netns,
		      __get_str(name),
		      __entry->node_id,
		      __entry->pid,
		      __entry->count,
		      __entry->generation)
);

/* count: the join count left, 0 when gone; reason: enum pg2_reason. */
TRACE_EVENT(pg2_leave,
	    TP_PROTO(u32 netns,
		     const char *name,
		     u32 node_id,
		     u32 pid,
		     u32 count,
		     u8 reason,
		     u64 generation),
	    TP_ARGS(netns, name, node_id, pid, count, reason, generation),
	    TP_STRUCT__entry(__field(u32, netns)
			     __string(name, name)
			     __field(u32, node_id)
			     __field(u32, pid)
			     __field(u32, count)
			     __field(u8, reason)
			     __field(u64, generation)),
	    TP_fast_assign(__entry->netns = netns;
			   __assign_str(name, name);
			   __entry->node_id = node_id;
			   __entry->pid = pid;
			   __entry->count = count;
			   __entry->reason = reason;
			   __entry->generation = generation;),
	    TP_printk("netns=%u group=%s node=%u pid=%u count=%u reason=%u generation=%llu",
		      __entry->netns,
		      __get_str(name),
		      __entry->node_id,
		      __entry->pid,
		      __entry->count,
		      __entry->reason,
		      __entry->generation)
);

/* A dead process reaped: memberships dropped in every netns. */
TRACE_EVENT(pg2_exit_cleanup,
	    TP_PROTO(u32 pid,
		     u32 memberships),
	    TP_ARGS(pid, memberships),
	    TP_STRUCT__entry(__field(u32, pid)
			     __field(u32, memberships)),
	    TP_fast_assign(__entry->pid = pid;
			   __entry->memberships = memberships;),
	    TP_printk("pid=%u memberships=%u",
		      __entry->pid,
		      __entry->memberships)
);

/*
 * op: PG2_SYNC_*; members: 1 for join and leave, the members dropped for
 * drop and replace.
 */
TRACE_EVENT(pg2_remote_sync,
	    TP_PROTO(u32 netns,
		     u8 op,
		     u32 node_id,
		     u32 members,
		     u64 generation),
	    TP_ARGS(netns, op, node_id, members, generation),
	    TP_STRUCT__entry(__field(u32, netns)
			     __field(u8, op)
			     __field(u32, node_id)
			     __field(u32, members)
			     __field(u64, generation)),
	    TP_fast_assign(__entry->netns = netns;
			   __entry->op = op;
			   __entry->node_id = node_id;
			   __entry->members = members;
			   __entry->generation = generation;),
	    TP_printk("netns=%u op=%u node=%u members=%u generation=%llu",
		      __entry->netns,
		      __entry->op,
		      __entry->node_id,
		      __entry->members,
		      __entry->generation)
);

/* op: PG2_LOOKUP_*; returned: the member records sent. */
TRACE_EVENT(pg2_lookup,
	    TP_PROTO(u32 netns,
		     const char *name,
		     u8 op,
		     u32 returned),
	    TP_ARGS(netns, name, op, returned),
	    TP_STRUCT__entry(__field(u32, netns)
			     __string(name, name)
			     __field(u8, op)
			     __field(u32, returned)),
	    TP_fast_assign(__entry->netns = netns;
			   __assign_str(name, name);
			   __entry->op = op;
			   __entry->returned = returned;),
	    TP_printk("netns=%u group=%s op=%u returned=%u",
		      __entry->netns,
		      __get_str(name),
		      __entry->op,
		      __entry->returned)
);

#endif /* _PG2_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
