// SPDX-License-Identifier: GPL-2.0
/*
 * pg2: Erlang pg2's distributed named process groups for Linux processes.
 * Module parameters, per-netns state and the order of start and stop.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "exit.h"
#include "limits.h"
#include "netlink.h"
#include "proc.h"
#include "table.h"

bool pg2_create_needs_admin;
module_param_named(create_needs_admin, pg2_create_needs_admin, bool, 0644);
MODULE_PARM_DESC(create_needs_admin, "Only CAP_NET_ADMIN may create groups");

/* The limits bind all but CAP_NET_ADMIN in the initial user namespace. */
unsigned int pg2_max_groups = 4096;
module_param_named(max_groups, pg2_max_groups, uint, 0644);
MODULE_PARM_DESC(max_groups,
		 "Groups per netns (limits bind all but the initial netns admin)");

unsigned int pg2_max_members_per_group = 16384;
module_param_named(max_members_per_group, pg2_max_members_per_group, uint,
		   0644);
MODULE_PARM_DESC(max_members_per_group, "Members per group");

unsigned int pg2_max_memberships_per_uid = 16384;
module_param_named(max_memberships_per_uid, pg2_max_memberships_per_uid, uint,
		   0644);
MODULE_PARM_DESC(max_memberships_per_uid,
		 "Memberships a uid may hold, every netns together");

static unsigned int pg2_net_id __read_mostly;

struct pg2_net *pg2_net(const struct net *net)
{
	return net_generic(net, pg2_net_id);
}

static int __net_init pg2_net_init(struct net *net)
{
	return pg2_table_init_net(pg2_net(net), net);
}

static void __net_exit pg2_net_exit(struct net *net)
{
	/* The reaper may be about to lock this table: wait for it. */
	mutex_lock(&pg2_reap_mutex);
	pg2_table_exit_net(pg2_net(net));
	mutex_unlock(&pg2_reap_mutex);
}

static struct pernet_operations pg2_net_ops = {
	.init = pg2_net_init,
	.exit = pg2_net_exit,
	.id = &pg2_net_id,
	.size = sizeof(struct pg2_net),
};

static int __init pg2_init(void)
{
	int err;

	err = pg2_procs_init();
	if (err)
		return err;
	err = register_pernet_subsys(&pg2_net_ops);
	if (err)
		goto procs;
	/* Before the first join: a member exiting unseen would stay forever. */
	err = pg2_exit_init();
	if (err)
		goto pernet;
	err = pg2_genl_init();
	if (err)
		goto probe;
	return 0;

probe:
	pg2_exit_fini();
pernet:
	unregister_pernet_subsys(&pg2_net_ops);
procs:
	pg2_procs_destroy();
	return err;
}

static void __exit pg2_exit(void)
{
	/* Reaps every process marked dead while the tables still exist. */
	pg2_exit_fini();
	pg2_genl_fini();
	unregister_pernet_subsys(&pg2_net_ops);
	/* pg2_proc and pg2_member RCU callbacks are this module's code. */
	rcu_barrier();
	pg2_procs_destroy();
}

module_init(pg2_init);
module_exit(pg2_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pg2: distributed named process groups");
MODULE_ALIAS_GENL_FAMILY(PG2_GENL_NAME);
