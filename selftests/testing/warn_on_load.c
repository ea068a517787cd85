// SPDX-License-Identifier: GPL-2.0
/*
 * A module that WARNs as it loads and does nothing else.  run-guest.sh
 * builds it at test time and loads it in a guest that then passes: the
 * run must still fail, on the WARNING in the kernel log.
 */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init warn_on_load_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit warn_on_load_exit(void)
{
}

module_init(warn_on_load_init);
module_exit(warn_on_load_exit);
MODULE_DESCRIPTION("pg2 test: a WARN at load time, for the guest runner's test");
MODULE_LICENSE("GPL");
