/* SPDX-License-Identifier: GPL-2.0 */
/* valectl's unit test (test_parse.c, test_output.c): what the two share. */
#ifndef _VALECTL_TEST_H
#define _VALECTL_TEST_H

#include "check.h"
#include "nl.h"
#include "objects.h"
#include "valectl.h"

#ifndef VALECTL_MAN
#define VALECTL_MAN "valectl/valectl.8"
#endif

/* The request of the last parse(), and its words (words[0] "valectl"). */
extern struct vctl_req req;
extern char *words[64];

/* Parse a command line of words split at spaces ("''" for an empty word). */
int parse(const char *line);

/* test_output.c */
void test_output(void);

#endif /* _VALECTL_TEST_H */
