/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * pg2: distributed named process groups, the generic netlink contract.
 *
 * This header is the one wire contract between pg2.ko, libpg2nl, the pg2
 * tool and the relay commands (for pg2d, the cluster relay, to come).
 * Semantics follow Erlang's pg2.
 *
 * Overview
 * --------
 *
 * Each network namespace holds its own table of groups.  A group is named by
 * a string of 1 to PG2_NAME_MAX bytes (no NUL inside; sent NUL-terminated)
 * and exists from create until delete, empty or not.  A member is a process
 * (thread group) on a node, with a join count >= 1 and optional member data
 * (an opaque blob of up to PG2_DATA_MAX bytes; the last join that carries
 * data sets it).  A local member is the pair (node id of this netns, tgid);
 * a remote member is a (node id, pid) pair reported by the relay.  Node id 0
 * means "this node" until the relay sets the real id.
 *
 * Pid numbers in requests and replies are in the pid namespace of the
 * sending process; a member that is not visible there is left out of
 * replies.  Events are multicast once to every listener: their PG2_A_PID
 * is the number in the initial pid namespace, and PG2_A_NSPIDS gives the
 * number in every other namespace that sees the member (see Events).
 *
 * When the last thread of a member process exits, the process leaves every
 * group it is in, in every netns, before its parent's wait() returns.
 *
 * Generation
 * ----------
 *
 * Every change to a netns's table (create, delete, join, leave, exit, node
 * operations) increments that table's 64-bit generation, which starts at 1.
 * Every event carries the generation of its change.  Every dump begins with
 * a PG2_CMD_GENERATION message giving the generation at the start of the
 * dump, and a dump across which the table changed ends with a message
 * flagged NLM_F_DUMP_INTR: the reader retries it.  A subscriber that joins
 * the events group, then dumps, then applies only events newer than the
 * dump's generation holds an exact copy of the table.
 *
 * Dumps
 * -----
 *
 * The reply to a dump request (NLM_F_DUMP) is a sequence of messages:
 *
 *   PG2_CMD_GENERATION   header: PG2_A_GENERATION
 *   PG2_CMD_GROUP_GET    group record (see PG2_CMD_GROUP_GET)
 *   PG2_CMD_MEMBER_GET   member record (see PG2_CMD_MEMBER_GET)
 *
 * and NLMSG_DONE.  The genlmsghdr command tells the record kinds apart.
 *
 * Permissions
 * -----------
 *
 * Reads are open to every process of the netns.  Create is open unless the
 * module parameter create_needs_admin is set.  Delete needs the group's
 * creator uid or CAP_NET_ADMIN.  Join and leave of the caller itself are
 * open; of another process they need kill(2)'s credential rule (the
 * caller's real or effective uid equals the target's real or saved uid) or
 * CAP_NET_ADMIN.  Commands marked "relay" need CAP_NET_ADMIN in the user
 * namespace owning the netns.  CAP_NET_ADMIN is always checked in that user
 * namespace, but for the limits.
 *
 * Limits (module parameters max_groups per netns, max_members_per_group,
 * max_memberships_per_uid counted in every netns together) bind every
 * caller but one with CAP_NET_ADMIN in the initial user namespace; a user
 * namespace's owner, admin of its own netns, is bound too, its relay
 * commands included (the groups and members they create count; remote
 * members are charged to no uid).  At the memory
 * cgroup's limit a request fails with ENOMEM.  The effective uid is the
 * one that creates, deletes and is charged.
 *
 * Errors
 * ------
 *
 * Every rejection carries an extended ACK message naming its cause and, for
 * bad attributes, the offending attribute (the generic netlink core's own
 * rejections of an unknown command, family or a truncated header excepted:
 * an ENOENT without a message is the core's "no such family").  A rejected
 * request changes nothing.  A dump request whose attributes are valid but
 * that fails gets its errno and message (no attribute offset) in the
 * NLMSG_DONE that ends the reply.
 *
 *   EINVAL   missing, malformed, overlong or unknown attribute
 *   ENOENT   no such group
 *   ESRCH    no such process; empty group (PG2_CMD_MEMBER_CLOSEST)
 *   EPERM    not allowed (see Permissions)
 *   ENOSPC   a table limit: groups per netns, members per group; a join
 *            count that would pass 2^32 - 1
 *   EDQUOT   memberships per uid
 *
 * Commands
 * --------
 *
 * PG2_CMD_GENERATION: do. Returns PG2_A_GENERATION, the current generation.
 *   Also the header message of every dump.
 *
 * PG2_CMD_GROUP_CREATE: do. Takes PG2_A_GROUP_NAME.  Creates the group with
 *   the caller's uid as creator; an existing group is left as it is (not an
 *   error).  ENOSPC past max_groups.  EPERM when create_needs_admin is set
 *   and the caller lacks CAP_NET_ADMIN.
 *
 * PG2_CMD_GROUP_DELETE: do. Takes PG2_A_GROUP_NAME.  Deletes the group and
 *   drops every member of every node (event reason PG2_REASON_GROUP_DELETED).
 *   An absent group is not an error.  EPERM unless creator or CAP_NET_ADMIN.
 *
 * PG2_CMD_GROUP_GET: do or dump.  Do takes PG2_A_GROUP_NAME and returns one
 *   group record; dump returns every group (which_groups).  A group record:
 *   PG2_A_GROUP_NAME, PG2_A_MEMBER_COUNT (members of every node),
 *   PG2_A_LOCAL_MEMBER_COUNT, PG2_A_CREATOR_UID (in the caller's user
 *   namespace), PG2_A_GENERATION.  The counts are of every member alive,
 *   those the caller's pid namespace does not see included.
 *
 * PG2_CMD_MEMBER_JOIN: do. Takes PG2_A_GROUP_NAME, optional PG2_A_PID
 *   (default: the caller's process), optional PG2_A_DATA.  Increments the
 *   join count; returns nothing but the ACK.  ENOENT, ESRCH (no such
 *   process, or it is exiting), EPERM, ENOSPC (max_members_per_group),
 *   EDQUOT (max_memberships_per_uid).
 *
 * PG2_CMD_MEMBER_LEAVE: do. Takes PG2_A_GROUP_NAME, optional PG2_A_PID.
 *   Decrements the join count; the member is gone at 0.  A process that is
 *   not a member (or no longer exists) is not an error.  ENOENT, EPERM.
 *
 * PG2_CMD_MEMBER_GET: dump. Takes PG2_A_GROUP_NAME and the optional flag
 *   PG2_A_LOCAL_ONLY (get_local_members).  ENOENT for a missing group.  A
 *   member record: PG2_A_GROUP_NAME, PG2_A_NODE_ID, PG2_A_PID, PG2_A_COUNT,
 *   PG2_A_DATA (only when set), PG2_A_GENERATION.  Large groups span many
 *   messages.
 *
 * PG2_CMD_MEMBER_CLOSEST: do. Takes PG2_A_GROUP_NAME.  Returns one member
 *   record: a random local member if there is one, else a random member of
 *   any node.  ENOENT; ESRCH when the group has no member visible to the
 *   caller.
 *
 * PG2_CMD_TABLE_GET: dump.  Every group record, each followed by the
 *   member records of that group.
 *
 * PG2_CMD_NODE_SET_ID (relay): do. Takes PG2_A_NODE_ID (non-zero), the id
 *   of this node.  Local members are reported with it from then on.  A new
 *   id is a change (PG2_CMD_NODE_ID_CHANGED); the id in force is none.
 *
 * PG2_CMD_REMOTE_JOIN (relay): do. Takes PG2_A_GROUP_NAME, PG2_A_NODE_ID
 *   (non-zero, not this node's), PG2_A_PID, optional PG2_A_COUNT (default
 *   1: added to the member's count), optional PG2_A_DATA.  ENOENT; ENOSPC
 *   (max_members_per_group, or a count that would overflow).
 *
 * PG2_CMD_REMOTE_LEAVE (relay): do. Takes PG2_A_GROUP_NAME, PG2_A_NODE_ID,
 *   PG2_A_PID, optional PG2_A_COUNT (default 1, subtracted; the member is
 *   gone at 0).  ENOENT.
 *
 * PG2_CMD_NODE_DROP (relay): do. Takes PG2_A_NODE_ID.  Drops every member
 *   of that node from every group (event reason PG2_REASON_NODE_DOWN).
 *
 * PG2_CMD_SNAPSHOT_GET (relay): dump.  As PG2_CMD_TABLE_GET, with only
 *   the local members: the snapshot this node sends to the others.
 *
 * PG2_CMD_NODE_REPLACE (relay): do. Takes PG2_A_NODE_ID and one or more
 *   PG2_A_MEMBERS, each a nest of PG2_A_MEMBER entries, each a nest of
 *   PG2_MEMBER_A_* (group name, pid, count, optional data).  The snapshot
 *   is every entry of every PG2_A_MEMBERS (a nest's length is 16 bits, so
 *   a large snapshot takes several; the message is bounded by the sender's
 *   SO_SNDBUF).  It names a member (group, pid) at most once.  Replaces
 *   every member of that node with the snapshot, under the table lock (no
 *   other change interleaves); groups the snapshot names that do not exist
 *   here are created (creator uid 0).  Events are sent for the difference
 *   only.  The whole snapshot is validated first: EINVAL changes nothing.
 *   ENOMEM, or ENOSPC past max_groups or max_members_per_group, can leave
 *   the node's members partly replaced; the request is idempotent, so the
 *   relay retries it.
 *
 * Events
 * ------
 *
 * The multicast group PG2_MCGRP_EVENTS carries, for every change:
 *
 *   PG2_CMD_GROUP_CREATED  PG2_A_GROUP_NAME, PG2_A_CREATOR_UID,
 *                          PG2_A_GENERATION
 *   PG2_CMD_GROUP_DELETED  PG2_A_GROUP_NAME, PG2_A_GENERATION; preceded by
 *                          one PG2_CMD_MEMBER_LEFT per dropped member
 *   PG2_CMD_MEMBER_JOINED  PG2_A_GROUP_NAME, PG2_A_NODE_ID, PG2_A_PID,
 *                          PG2_A_COUNT (the new count), PG2_A_DATA (when
 *                          set), PG2_A_GENERATION, PG2_A_NSPIDS (local
 *                          members)
 *   PG2_CMD_MEMBER_LEFT    as MEMBER_JOINED (PG2_A_COUNT is the count left,
 *                          0 when the member is gone) plus PG2_A_REASON
 *   PG2_CMD_NODE_ID_CHANGED PG2_A_NODE_ID (the new id), PG2_A_GENERATION:
 *                          every local member has this node id from now on
 *
 * A local member's events also carry PG2_A_NSPIDS: its pid in every pid
 * namespace it is visible in, from the initial one down to its own (as
 * NSpid in /proc/PID/status), each with the inode number of that
 * namespace (stat -L -c %i /proc/self/ns/pid).  A listener finds its own
 * namespace there, or learns that the member is invisible to it.
 *
 * Events are sent in generation order, one per change: each generation
 * has its event.  A listener whose socket overflows, or that an event
 * could not be built for (out of memory), gets ENOBUFS and must
 * resynchronise with a dump.
 */

#ifndef _UAPI_LINUX_PG2_H
#define _UAPI_LINUX_PG2_H

#define PG2_GENL_NAME		"pg2"
#define PG2_GENL_VERSION	1
#define PG2_MCGRP_EVENTS	"events"

/* Longest group name in bytes, not counting the terminating NUL. */
#define PG2_NAME_MAX		255
/* Largest member data blob in bytes. */
#define PG2_DATA_MAX		256

enum pg2_cmd {
	PG2_CMD_UNSPEC,
	PG2_CMD_GENERATION,
	PG2_CMD_GROUP_CREATE,
	PG2_CMD_GROUP_DELETE,
	PG2_CMD_GROUP_GET,
	PG2_CMD_MEMBER_JOIN,
	PG2_CMD_MEMBER_LEAVE,
	PG2_CMD_MEMBER_GET,
	PG2_CMD_MEMBER_CLOSEST,
	PG2_CMD_TABLE_GET,
	PG2_CMD_NODE_SET_ID,
	PG2_CMD_REMOTE_JOIN,
	PG2_CMD_REMOTE_LEAVE,
	PG2_CMD_NODE_DROP,
	PG2_CMD_NODE_REPLACE,
	PG2_CMD_SNAPSHOT_GET,
	/* events, multicast only */
	PG2_CMD_GROUP_CREATED,
	PG2_CMD_GROUP_DELETED,
	PG2_CMD_MEMBER_JOINED,
	PG2_CMD_MEMBER_LEFT,
	PG2_CMD_NODE_ID_CHANGED,

	__PG2_CMD_MAX
};

#define PG2_CMD_MAX (__PG2_CMD_MAX - 1)

enum pg2_attr {
	PG2_A_UNSPEC,
	PG2_A_PAD,
	PG2_A_GROUP_NAME,		/* NUL-terminated string */
	PG2_A_PID,			/* u32 */
	PG2_A_NODE_ID,			/* u32 */
	PG2_A_COUNT,			/* u32, join count */
	PG2_A_DATA,			/* binary, at most PG2_DATA_MAX */
	PG2_A_GENERATION,		/* u64 */
	PG2_A_REASON,			/* u8, enum pg2_reason */
	PG2_A_LOCAL_ONLY,		/* flag */
	PG2_A_MEMBER_COUNT,		/* u32 */
	PG2_A_LOCAL_MEMBER_COUNT,	/* u32 */
	PG2_A_CREATOR_UID,		/* u32 */
	PG2_A_MEMBERS,			/* nest of PG2_A_MEMBER */
	PG2_A_MEMBER,			/* nest of PG2_MEMBER_A_* */
	PG2_A_NSPIDS,			/* nest of PG2_A_NSPID */
	PG2_A_NSPID,			/* nest of PG2_NSPID_A_* */

	__PG2_A_MAX
};

#define PG2_A_MAX (__PG2_A_MAX - 1)

/* Entries of a PG2_CMD_NODE_REPLACE snapshot. */
enum pg2_member_attr {
	PG2_MEMBER_A_UNSPEC,
	PG2_MEMBER_A_GROUP_NAME,	/* NUL-terminated string */
	PG2_MEMBER_A_PID,		/* u32 */
	PG2_MEMBER_A_COUNT,		/* u32, >= 1 */
	PG2_MEMBER_A_DATA,		/* binary, at most PG2_DATA_MAX */

	__PG2_MEMBER_A_MAX
};

#define PG2_MEMBER_A_MAX (__PG2_MEMBER_A_MAX - 1)

/* A pid as one pid namespace sees it (PG2_A_NSPID of an event). */
enum pg2_nspid_attr {
	PG2_NSPID_A_UNSPEC,
	PG2_NSPID_A_NS,			/* u32, inode number of the pid namespace */
	PG2_NSPID_A_PID,		/* u32 */

	__PG2_NSPID_A_MAX
};

#define PG2_NSPID_A_MAX (__PG2_NSPID_A_MAX - 1)

/* Why a member left (PG2_A_REASON of PG2_CMD_MEMBER_LEFT). */
enum pg2_reason {
	PG2_REASON_LEAVE,		/* a leave request */
	PG2_REASON_EXIT,		/* the process exited */
	PG2_REASON_GROUP_DELETED,	/* its group was deleted */
	PG2_REASON_NODE_DOWN,		/* the relay dropped or replaced its node */
};

#endif /* _UAPI_LINUX_PG2_H */
