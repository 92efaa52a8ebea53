// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkback fault injection, for testing frontends only: corrupt the
 * next response(s) of one device, so that a frontend's response checks
 * (Xen io/blkif.h: a response carries the id and operation of the request
 * it answers, and a status of BLKIF_RSP_OKAY, _ERROR or _EOPNOTSUPP) can
 * be proven in a rig. Nothing here runs unless root arms it.
 *
 * Per device, once it has connected, debugfs has
 *
 *   /sys/kernel/debug/xen-blkback/<frontend-domid>-<devid>/inject  (0600)
 *
 * Writing "id", "op" or "status" (optionally followed by a count, default
 * 1) arms that many corruptions of the next responses of any of the
 * device's rings:
 *   id      the id is replaced by its complement: an id never issued;
 *   op      the operation is replaced by one that differs from the
 *           request's: a read becomes a write, anything else a read;
 *   status  the status is replaced by 0x7f0f, which io/blkif.h does not
 *           define.
 * "off" disarms. Reading shows what is armed and how many responses were
 * corrupted so far.
 *
 * The files go with the device (devres of the xenbus device), the
 * directory with the last of them, so nothing is left once the module is
 * unloaded. blkback.c calls xbb_inject_rsp() where it writes a response.
 */
#include "common.h"

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#define XBB_INJ_BAD_STATUS	0x7f0f
/* The module's name as users know it (KBUILD_MODNAME is xen_blkback). */
#define XBB_INJ_DIR		"xen-blkback"

enum xbb_inj_field {
	XBB_INJ_NONE,
	XBB_INJ_ID,
	XBB_INJ_OP,
	XBB_INJ_STATUS,
};

static const char * const xbb_inj_names[] = {
	[XBB_INJ_NONE] = "off",
	[XBB_INJ_ID] = "id",
	[XBB_INJ_OP] = "op",
	[XBB_INJ_STATUS] = "status",
};

struct xbb_inject {
	spinlock_t lock;		/* field, left, done */
	enum xbb_inj_field field;
	unsigned int left;		/* responses still to corrupt */
	unsigned int done;		/* responses corrupted */
	struct dentry *dir;
	char name[32];
};

/* The debugfs directory, shared by the devices that have files in it. */
static DEFINE_MUTEX(xbb_inj_mutex);
static struct dentry *xbb_inj_root;
static unsigned int xbb_inj_users;

static ssize_t xbb_inj_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct xbb_inject *inj = file->private_data;
	unsigned long flags;
	char buf[96];
	int len;

	spin_lock_irqsave(&inj->lock, flags);
	len = scnprintf(buf, sizeof(buf), "armed %s left %u corrupted %u\n",
			xbb_inj_names[inj->field], inj->left, inj->done);
	spin_unlock_irqrestore(&inj->lock, flags);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t xbb_inj_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct xbb_inject *inj = file->private_data;
	enum xbb_inj_field field = XBB_INJ_NONE;
	unsigned int n = 1, i;
	unsigned long flags;
	char buf[32], *arg;
	int err;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	arg = strim(buf);
	for (i = 0; i < ARRAY_SIZE(xbb_inj_names); i++) {
		size_t l = strlen(xbb_inj_names[i]);

		if (!strncmp(arg, xbb_inj_names[i], l) &&
		    (!arg[l] || arg[l] == ' ')) {
			field = i;
			arg += l;
			break;
		}
	}
	if (i == ARRAY_SIZE(xbb_inj_names)) {
		pr_warn("%s: inject: \"%s\" is not id, op, status or off\n",
			inj->name, arg);
		return -EINVAL;
	}
	arg = skip_spaces(arg);
	if (*arg) {
		err = kstrtouint(arg, 0, &n);
		if (err || !n) {
			pr_warn("%s: inject: count \"%s\" is not a positive number\n",
				inj->name, arg);
			return -EINVAL;
		}
	}
	spin_lock_irqsave(&inj->lock, flags);
	inj->field = field;
	inj->left = field == XBB_INJ_NONE ? 0 : n;
	spin_unlock_irqrestore(&inj->lock, flags);
	pr_info("%s: inject: %s armed for %u response(s) (test-only fault injection)\n",
		inj->name, xbb_inj_names[field], field ? n : 0);
	return count;
}

static const struct file_operations xbb_inj_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = xbb_inj_read,
	.write = xbb_inj_write,
	.llseek = default_llseek,
};

/* devres release: when the device leaves the driver. */
static void xbb_inj_release(struct device *dev, void *res)
{
	struct xbb_inject *inj = res;

	/* Waits for open files' operations to finish (debugfs). */
	debugfs_remove_recursive(inj->dir);
	mutex_lock(&xbb_inj_mutex);
	if (!--xbb_inj_users) {
		debugfs_remove(xbb_inj_root);
		xbb_inj_root = NULL;
	}
	mutex_unlock(&xbb_inj_mutex);
}

/*
 * Make the device's injection state (once per device: it stays across
 * reconnections) and its debugfs file. Process context, before the rings
 * start: responses, some written in interrupt context, only read
 * be->inj.
 */
void xbb_inject_init(struct xbb_dev *be)
{
	struct device *dev = &be->dev->dev;
	struct xbb_inject *inj;
	unsigned int noio;

	if (be->inj)
		return;
	mutex_lock(&xbb_inj_mutex);
	/* Called with I/O of other devices going on: no reclaim through I/O. */
	noio = memalloc_noio_save();
	inj = devres_find(dev, xbb_inj_release, NULL, NULL);
	if (inj)
		goto out;
	inj = devres_alloc(xbb_inj_release, sizeof(*inj), GFP_KERNEL);
	if (!inj)
		goto out;
	spin_lock_init(&inj->lock);
	snprintf(inj->name, sizeof(inj->name), "%u-%u", be->dev->otherend_id,
		 be->handle);
	if (!xbb_inj_root)
		xbb_inj_root = debugfs_create_dir(XBB_INJ_DIR, NULL);
	/* debugfs failures only cost the test hook, never the device. */
	inj->dir = debugfs_create_dir(inj->name, xbb_inj_root);
	debugfs_create_file("inject", 0600, inj->dir, inj, &xbb_inj_fops);
	xbb_inj_users++;
	devres_add(dev, inj);
out:
	memalloc_noio_restore(noio);
	mutex_unlock(&xbb_inj_mutex);
	WRITE_ONCE(be->inj, inj);
}

void xbb_inject_rsp(struct xbb_dev *be, struct blkif_response *rsp)
{
	struct xbb_inject *inj = READ_ONCE(be->inj);
	enum xbb_inj_field field;
	unsigned long flags;

	if (!inj || !READ_ONCE(inj->left))
		return;
	spin_lock_irqsave(&inj->lock, flags);
	field = inj->left ? inj->field : XBB_INJ_NONE;
	if (field != XBB_INJ_NONE) {
		inj->left--;
		inj->done++;
	}
	spin_unlock_irqrestore(&inj->lock, flags);

	switch (field) {
	case XBB_INJ_ID:
		dev_notice(&be->dev->dev,
			   "inject: response id %llu sent as %llu\n",
			   (unsigned long long)rsp->id,
			   (unsigned long long)~rsp->id);
		rsp->id = ~rsp->id;
		break;
	case XBB_INJ_OP:
		dev_notice(&be->dev->dev,
			   "inject: response %llu operation %u sent as %u\n",
			   (unsigned long long)rsp->id, rsp->operation,
			   rsp->operation == BLKIF_OP_READ ? BLKIF_OP_WRITE :
			   BLKIF_OP_READ);
		rsp->operation = rsp->operation == BLKIF_OP_READ ?
				 BLKIF_OP_WRITE : BLKIF_OP_READ;
		break;
	case XBB_INJ_STATUS:
		dev_notice(&be->dev->dev,
			   "inject: response %llu status %d sent as %d\n",
			   (unsigned long long)rsp->id, rsp->status,
			   XBB_INJ_BAD_STATUS);
		rsp->status = XBB_INJ_BAD_STATUS;
		break;
	default:
		break;
	}
}
