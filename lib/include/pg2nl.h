/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libpg2nl: the C interface to pg2, distributed named process groups.
 * libpg2nl(3) is the full manual.
 *
 * Every call returns 0 on success and a negative errno on failure, as
 * libbpf does (pg2_netns_fd() returns a descriptor, pg2_monitor_next() 1
 * or 0): -ENOENT no such group, -ESRCH no such process or empty group,
 * -EPERM, -EINVAL, -ENOSPC, -EDQUOT, exactly as the kernel said;
 * -ENOPROTOOPT when pg2.ko is not loaded.  pg2_errmsg() then gives the
 * reason, the kernel's own words when it gave some, and pg2_errattr() the
 * attribute it rejected.
 *
 * Pids, in calls and in events, are numbers in the caller's pid namespace;
 * members it cannot see are left out.
 *
 * Thread safety: a handle or a monitor may be used by one thread at a
 * time.  Open one per thread; the library has no global state (only the
 * per-thread message of a failed open, see pg2_errmsg()).
 *
 * Module reload: handles and monitors outlive an rmmod and insmod of
 * pg2.ko; in between, calls fail with -ENOPROTOOPT.  Reopen handles after
 * a reload: another family may take pg2's old id (libpg2nl(3)).
 *
 * Memory: arrays and tables the library returns belong to the caller and
 * are freed with free(3) or pg2_table_free(), except a monitor's RESYNC
 * table (struct pg2_event).
 */
#ifndef PG2NL_H
#define PG2NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/pg2.h>

#ifdef __cplusplus
extern "C" {
#endif

struct pg2_handle;
struct pg2_monitor;

struct pg2_member {
	uint32_t node_id;	/* 0: this node, until the relay sets its id */
	uint32_t pid;		/* in the caller's pid namespace; remote: the
				 * number on its node */
	uint32_t count;		/* join count, >= 1 (events: see pg2_event) */
	uint16_t data_len;	/* 0: no member data */
	uint8_t data[PG2_DATA_MAX];
};

struct pg2_group_info {
	char name[PG2_NAME_MAX + 1];
	uint32_t member_count;		/* members of every node */
	uint32_t local_member_count;	/* members of this node */
	uint32_t creator_uid;		/* in the caller's user namespace */
};

/* One member of one group, as a table holds it. */
struct pg2_table_member {
	size_t group;			/* index into pg2_table.groups */
	struct pg2_member member;
};

/* A consistent copy of a netns's table at one generation. */
struct pg2_table {
	uint64_t generation;		/* of the table when it was read */
	size_t n_groups;
	struct pg2_group_info *groups;	/* NULL when n_groups is 0 */
	size_t n_members;
	struct pg2_table_member *members; /* group by group; NULL when none */
};

/* Handles. netns_fd < 0: the caller's network namespace. */
int pg2_open(struct pg2_handle **handle, int netns_fd);
void pg2_close(struct pg2_handle *handle);
/*
 * Why the last failing call failed: the kernel's message as it gave it,
 * else the library's description.  handle NULL: why this thread's last
 * pg2_open() or pg2_monitor_open() failed (-ENOPROTOOPT: "pg2 kernel
 * module not loaded (modprobe pg2)").
 */
const char *pg2_errmsg(const struct pg2_handle *handle);
/*
 * The attribute the kernel rejected in the last failing call, by name
 * ("PG2_A_GROUP_NAME"), when it said which: NULL otherwise (and for a
 * NULL handle).  A constant string.
 */
const char *pg2_errattr(const struct pg2_handle *handle);
/*
 * An fd of the named netns (/run/netns/NAME, as ip-netns(8) makes them),
 * or -errno (no message).  The caller closes it.
 */
int pg2_netns_fd(const char *name);

/* Erlang pg2's calls. */
int pg2_create(struct pg2_handle *handle, const char *group);
int pg2_delete(struct pg2_handle *handle, const char *group);
/* pid 0: the calling process; negative: -EINVAL.  data may be NULL. */
int pg2_join(struct pg2_handle *handle, const char *group, pid_t pid,
	     const void *data, size_t data_len);
int pg2_leave(struct pg2_handle *handle, const char *group, pid_t pid);
/*
 * Listings: *members (*groups) is a malloc'd array of *count entries
 * (NULL when empty), the caller frees it.  Members come in join order,
 * groups in creation order.
 */
int pg2_get_members(struct pg2_handle *handle, const char *group,
		    struct pg2_member **members, size_t *count);
int pg2_get_local_members(struct pg2_handle *handle, const char *group,
			  struct pg2_member **members, size_t *count);
/* pg2-compatible: every member listed once per join, in member order. */
int pg2_get_members_per_join(struct pg2_handle *handle, const char *group,
			     struct pg2_member **members, size_t *count);
int pg2_which_groups(struct pg2_handle *handle,
		     struct pg2_group_info **groups, size_t *count);
/*
 * As pg2_get_members() (local_only: pg2_get_local_members()) and
 * pg2_which_groups(), and *generation (if not NULL) is the generation of
 * the table the listing is: exactly the table then.
 */
int pg2_get_members_at(struct pg2_handle *handle, const char *group,
		       bool local_only, struct pg2_member **members,
		       size_t *count, uint64_t *generation);
int pg2_which_groups_at(struct pg2_handle *handle,
			struct pg2_group_info **groups, size_t *count,
			uint64_t *generation);
/* Fills the caller's *member. */
int pg2_get_closest_pid(struct pg2_handle *handle, const char *group,
			struct pg2_member *member);
int pg2_group_info(struct pg2_handle *handle, const char *group,
		   struct pg2_group_info *info);
int pg2_generation(struct pg2_handle *handle, uint64_t *generation);
/*
 * Every group and its members.  local_only: every group with this node's
 * members only, the relay's snapshot (PG2_CMD_SNAPSHOT_GET: CAP_NET_ADMIN
 * as the relay's calls below, else -EPERM).
 */
int pg2_table_get(struct pg2_handle *handle, bool local_only,
		  struct pg2_table **table);
void pg2_table_free(struct pg2_table *table);

/* The relay's calls: CAP_NET_ADMIN in the netns's user namespace. */
struct pg2_snapshot_entry {
	const char *group;	/* created when missing */
	uint32_t pid;		/* the member's number on its node */
	uint32_t count;		/* join count, >= 1 */
	const void *data;	/* NULL, data_len 0: the member has no data */
	size_t data_len;
};

int pg2_node_set_id(struct pg2_handle *handle, uint32_t node_id);
/* count 0: the kernel's default, 1. */
int pg2_remote_join(struct pg2_handle *handle, const char *group,
		    uint32_t node_id, uint32_t pid, uint32_t count,
		    const void *data, size_t data_len);
int pg2_remote_leave(struct pg2_handle *handle, const char *group,
		     uint32_t node_id, uint32_t pid, uint32_t count);
int pg2_node_drop(struct pg2_handle *handle, uint32_t node_id);
/*
 * The members of node node_id become exactly entries (count of them, any
 * number; the last entry for a member wins).  The message must fit the
 * socket's send buffer, raised as needed (SO_SNDBUFFORCE, else SO_SNDBUF
 * up to net.core.wmem_max): -EMSGSIZE when it cannot be.
 */
int pg2_node_replace(struct pg2_handle *handle, uint32_t node_id,
		     const struct pg2_snapshot_entry *entries, size_t count);

/* Events. */
enum pg2_event_type {
	PG2_EVENT_GROUP_CREATED,
	PG2_EVENT_GROUP_DELETED,
	PG2_EVENT_MEMBER_JOINED,
	PG2_EVENT_MEMBER_LEFT,
	/*
	 * Events were lost, or the node id changed (every local member's):
	 * the monitor took a new snapshot (event.table).
	 */
	PG2_EVENT_RESYNC,
};

struct pg2_event {
	enum pg2_event_type type;
	uint64_t generation;		/* of the change; RESYNC: the table's */
	char group[PG2_NAME_MAX + 1];	/* all but RESYNC */
	uint32_t creator_uid;		/* GROUP_CREATED; initial user ns */
	/*
	 * MEMBER_*: the member, its pid in the monitor's pid namespace;
	 * count: JOINED the new count, LEFT the count left (0: gone).
	 */
	struct pg2_member member;
	enum pg2_reason reason;		/* MEMBER_LEFT */
	/* RESYNC: the new snapshot, owned by the monitor, valid until the
	 * next pg2_monitor_next() or pg2_monitor_close().
	 */
	const struct pg2_table *table;
};

/*
 * A monitor subscribes to the events group on its own socket.  Call
 * pg2_monitor_snapshot() once for the table, then pg2_monitor_next() for
 * every change after it, in generation order: events older than the
 * snapshot are dropped, and so are those of members the monitor's pid
 * namespace cannot see (its snapshots leave them out too).  The fd is
 * pollable (POLLIN).
 */
int pg2_monitor_open(struct pg2_monitor **monitor, int netns_fd);
void pg2_monitor_close(struct pg2_monitor *monitor);
int pg2_monitor_fd(const struct pg2_monitor *monitor);
/* monitor NULL: as pg2_errmsg(NULL). */
const char *pg2_monitor_errmsg(const struct pg2_monitor *monitor);
int pg2_monitor_snapshot(struct pg2_monitor *monitor,
			 struct pg2_table **table);
/*
 * Waits up to timeout_ms (-1: no limit; 0: do not wait) for the next event.
 * Returns 1 with *event filled, 0 on timeout, or a negative errno:
 * -EINTR when a signal interrupted the wait; -EAGAIN, temporary (call
 * again); -ENOPROTOOPT at once while pg2.ko is unloaded (the fd turns
 * readable when it is back, and the next event is a RESYNC).
 */
int pg2_monitor_next(struct pg2_monitor *monitor, struct pg2_event *event,
		     int timeout_ms);

const char *pg2_reason_name(enum pg2_reason reason);
const char *pg2_event_type_name(enum pg2_event_type type);

#ifdef __cplusplus
}
#endif

#endif /* PG2NL_H */
