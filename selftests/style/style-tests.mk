# SPDX-License-Identifier: GPL-2.0
#
# Style and static checks of the kernel module, on the host.
HOST_TESTS += $(TOP)/selftests/style/kernel.sh
