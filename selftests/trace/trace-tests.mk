# SPDX-License-Identifier: GPL-2.0
GUEST_TESTS += $(TOP)/selftests/trace/tracepoints.sh
