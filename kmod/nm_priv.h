/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private interfaces between the files of the netmap device (kmod/).
 */
#ifndef _NM_PRIV_H
#define _NM_PRIV_H

#include <net/netmap.h>

int nm_dev_init(void);
void nm_dev_exit(void);

#endif /* _NM_PRIV_H */
