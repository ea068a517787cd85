# SPDX-License-Identifier: GPL-2.0
#
# The test harness's own tests, on the host: run-tests' counting, the
# Makefile and check, and run-guest (which boots guests of its own).
HOST_TESTS += $(addprefix $(TOP)/selftests/testing/,run-tests.sh make.sh run-guest.sh)
