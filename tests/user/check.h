/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal test runner for the C unit tests: CHECK() records a result
 * and prints failures with their place; check_summary() prints the
 * "N passed, N failed" line and returns the exit status.
 */
#ifndef _VALE_CHECK_H
#define _VALE_CHECK_H

#include <stdio.h>

extern int check_passed, check_failed;

#define CHECK(cond) do {							\
	if (cond) {								\
		check_passed++;							\
	} else {								\
		check_failed++;							\
		fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);	\
	}									\
} while (0)

#define CHECK_EQ(a, b) do {							\
	long long _a = (long long)(a), _b = (long long)(b);			\
	if (_a == _b) {								\
		check_passed++;							\
	} else {								\
		check_failed++;							\
		fprintf(stderr, "FAIL %s:%d: %s == %s (%lld != %lld)\n",	\
			__FILE__, __LINE__, #a, #b, _a, _b);			\
	}									\
} while (0)

#define RUN(test) do {								\
	int _f = check_failed;							\
	test();									\
	printf("%-50s %s\n", #test, check_failed == _f ? "ok" : "FAILED");	\
} while (0)

static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif /* _VALE_CHECK_H */
