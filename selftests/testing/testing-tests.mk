# SPDX-License-Identifier: GPL-2.0
HOST_TESTS += $(TOP)/selftests/testing/run-tests.sh
