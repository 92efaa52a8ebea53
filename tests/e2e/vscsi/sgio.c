// SPDX-License-Identifier: GPL-2.0-only
/*
 * sgio: send one malformed SCSI command to a disk with SG_IO, for the
 * rig's pvSCSI bad-request test (tests/e2e/vscsi/domU.sh, step badcdb).
 * Built static by scripts/rig/run.sh for the domU.
 *
 *   sgio DEVICE short-read10   READ(10) (opcode 0x28) in a 6-byte CDB
 *   sgio DEVICE short-read16   READ(16) (opcode 0x88) in a 10-byte CDB
 *
 * A frontend passes the CDB length as it gets it; a backend must refuse a
 * CDB shorter than its opcode's group requires (SAM: the group code, the
 * top 3 bits of the opcode, fixes the CDB length) with an error response,
 * not read past the bytes it was given. Prints what came back; exit 0:
 * the command was refused (status or host status not 0), 1: it succeeded
 * (the backend took a malformed CDB), 2: usage or system error.
 */
#include <errno.h>
#include <fcntl.h>
#include <scsi/sg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned char cdb[16] = { 0 }, sense[32], buf[4096];
	struct sg_io_hdr h;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: sgio DEVICE short-read10|short-read16\n");
		return 2;
	}
	memset(&h, 0, sizeof(h));
	if (!strcmp(argv[2], "short-read10")) {
		cdb[0] = 0x28;		/* READ(10): group 1, needs 10 bytes */
		cdb[4] = 1;
		h.cmd_len = 6;
	} else if (!strcmp(argv[2], "short-read16")) {
		cdb[0] = 0x88;		/* READ(16): group 4, needs 16 bytes */
		cdb[8] = 1;
		h.cmd_len = 10;
	} else {
		fprintf(stderr, "sgio: unknown case '%s'\n", argv[2]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "sgio: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	h.interface_id = 'S';
	h.dxfer_direction = SG_DXFER_FROM_DEV;
	h.dxfer_len = 512;
	h.dxferp = buf;
	h.cmdp = cdb;
	h.mx_sb_len = sizeof(sense);
	h.sbp = sense;
	h.timeout = 20000;
	if (ioctl(fd, SG_IO, &h) < 0) {
		/* The domU's own kernel refused to send it: no test. */
		fprintf(stderr, "sgio: SG_IO on %s: %s\n", argv[1], strerror(errno));
		close(fd);
		return 2;
	}
	close(fd);
	printf("%s cdb_len %u: status 0x%x host_status 0x%x driver_status 0x%x resid %d\n",
	       argv[2], h.cmd_len, h.status, h.host_status, h.driver_status,
	       h.resid);
	return h.status || h.host_status ? 0 : 1;
}
