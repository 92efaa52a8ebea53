// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-scsiback: naa.<wwn>:<lun> p-devs through the kernel's target core,
 * as the in-tree driver serves them: a fabric named "xen-pvscsi" with the
 * same configfs layout, so the same target setup works:
 *
 *   /sys/kernel/config/target/xen-pvscsi/naa.<wwn>/tpgt_<n>/
 *       lun/lun_<l>/<link to a backstore>
 *       nexus          the initiator port ("naa.<wwn>"), needed to serve
 *
 * Requests to such a LUN go through target_submit() with the frontend's
 * data pages as the scatterlist; the target core answers through
 * queue_data_in/queue_status and the request completes like a
 * passthrough one (back_io.c). Abort/reset of naa LUNs are answered
 * "failed" (the target core's task management is not wired yet).
 */
#include "back.h"

#include <linux/ctype.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <target/target_core_fabric.h>
#include <xen-mpring/compat.h>

#define VSCSIBACK_FABRIC	"xen-pvscsi"
#define VSCSIBACK_WWN_MAX	(XMP_VSCSI_WWN_MAX + 5)

struct vscsiback_tport {
	char name[VSCSIBACK_WWN_MAX];	/* "naa.<hex>" */
	struct se_wwn wwn;
};

struct vscsiback_tpg {
	struct kref kref;		/* configfs + devices + requests */
	struct se_portal_group se_tpg;
	struct vscsiback_tport *tport;
	u16 tag;
	struct list_head node;		/* vscsiback_tpgs */
	spinlock_t lock;		/* sess */
	struct se_session *sess;	/* the nexus, NULL: none */
	char initiator[VSCSIBACK_WWN_MAX];
	unsigned int users;		/* devices attached (under list lock) */
	bool registered;		/* se_tpg registered with the core */
};

static LIST_HEAD(vscsiback_tpgs);
static DEFINE_MUTEX(vscsiback_tpgs_lock);

static struct vscsiback_tpg *vscsi_tpg(struct se_portal_group *se_tpg)
{
	return container_of(se_tpg, struct vscsiback_tpg, se_tpg);
}

static struct vscsiback_req *to_req(struct se_cmd *se_cmd)
{
	return container_of(se_cmd, struct vscsiback_req, se_cmd);
}

static void vscsiback_tpg_release(struct kref *kref)
{
	kfree(container_of(kref, struct vscsiback_tpg, kref));
}

void vscsiback_tpg_get(struct vscsiback_tpg *tpg)
{
	kref_get(&tpg->kref);
}

void vscsiback_tpg_put(struct vscsiback_tpg *tpg)
{
	kref_put(&tpg->kref, vscsiback_tpg_release);
}

void vscsiback_tpg_detach(struct vscsiback_tpg *tpg)
{
	mutex_lock(&vscsiback_tpgs_lock);
	tpg->users--;
	mutex_unlock(&vscsiback_tpgs_lock);
	vscsiback_tpg_put(tpg);
}

struct vscsiback_tpg *vscsiback_tpg_find(const char *wwn, u64 lun,
					 const char **why)
{
	struct vscsiback_tpg *tpg, *found = NULL;
	struct se_lun *se_lun;

	*why = "no xen-pvscsi target port of that name";
	mutex_lock(&vscsiback_tpgs_lock);
	list_for_each_entry(tpg, &vscsiback_tpgs, node) {
		if (strcmp(tpg->tport->name, wwn))
			continue;
		*why = "no such LUN in its target port group";
		mutex_lock(&tpg->se_tpg.tpg_lun_mutex);
		hlist_for_each_entry(se_lun, &tpg->se_tpg.tpg_lun_hlist, link) {
			if (se_lun->unpacked_lun == lun) {
				found = tpg;
				break;
			}
		}
		mutex_unlock(&tpg->se_tpg.tpg_lun_mutex);
		if (!found)
			continue;
		if (!tpg->sess) {
			*why = "its target port group has no nexus";
			found = NULL;
			continue;
		}
		break;
	}
	if (found) {
		found->users++;
		vscsiback_tpg_get(found);
	}
	mutex_unlock(&vscsiback_tpgs_lock);
	return found;
}

int vscsiback_tcm_issue(struct vscsiback_req *req, const char **why)
{
	struct vscsiif_request *r = &req->ring_req;
	struct vscsiback_tpg *tpg = req->tpg;
	struct se_cmd *se_cmd = &req->se_cmd;
	unsigned int i;
	int err;

	if (req->nr_segs) {
		req->sgl = kcalloc(req->nr_segs, sizeof(*req->sgl), GFP_KERNEL);
		if (!req->sgl) {
			*why = "out of memory for the scatterlist";
			return -ENOMEM;
		}
		sg_init_table(req->sgl, req->nr_segs);
		for (i = 0; i < req->nr_segs; i++)
			sg_set_page(&req->sgl[i], req->pages[i],
				    req->segs[i].length, req->segs[i].offset);
	}
	/* Aborted before an answer: the frontend sees an abort. */
	req->result = DID_ABORT << 16;
	se_cmd->tag = r->rqid;

	spin_lock(&tpg->lock);
	err = tpg->sess ? target_init_cmd(se_cmd, tpg->sess, req->tsense,
					  req->tlun, req->xfer_len,
					  TCM_SIMPLE_TAG, r->sc_data_direction,
					  TARGET_SCF_ACK_KREF) : -ENOTCONN;
	spin_unlock(&tpg->lock);
	if (err) {
		*why = "the target port group lost its nexus";
		return err;
	}
	/* From here on the target core answers, through queue_status. */
	if (target_submit_prep(se_cmd, r->cmnd, req->sgl, req->nr_segs,
			       NULL, 0, NULL, 0, GFP_KERNEL))
		return 0;
	target_submit(se_cmd);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Fabric callbacks                                                    */
/* ------------------------------------------------------------------ */

static char *vscsiback_get_fabric_wwn(struct se_portal_group *se_tpg)
{
	return vscsi_tpg(se_tpg)->tport->name;
}

static u16 vscsiback_get_tag(struct se_portal_group *se_tpg)
{
	return vscsi_tpg(se_tpg)->tag;
}

static int vscsiback_true(struct se_portal_group *se_tpg)
{
	return 1;
}

static int vscsiback_false(struct se_portal_group *se_tpg)
{
	return 0;
}

static u32 vscsiback_inst_index(struct se_portal_group *se_tpg)
{
	return 1;
}

static int vscsiback_check_stop_free(struct se_cmd *se_cmd)
{
	return transport_generic_free_cmd(se_cmd, 0);
}

/* The core is done with the command: unmap, answer, free. */
static void vscsiback_release_cmd(struct se_cmd *se_cmd)
{
	vscsiback_req_done(to_req(se_cmd));
}

static u32 vscsiback_sess_index(struct se_session *se_sess)
{
	return 0;
}

static int vscsiback_write_pending(struct se_cmd *se_cmd)
{
	/* The data is mapped already. */
	target_execute_cmd(se_cmd);
	return 0;
}

static void vscsiback_node_attrs(struct se_node_acl *nacl)
{
}

static int vscsiback_cmd_state(struct se_cmd *se_cmd)
{
	return 0;
}

/* Record the outcome, drop the fabric's (ACK) reference. */
static int vscsiback_answer(struct se_cmd *se_cmd, int status)
{
	struct vscsiback_req *req = to_req(se_cmd);

	req->result = status;
	req->sense_len = 0;
	if (se_cmd->se_cmd_flags &
	    (SCF_TRANSPORT_TASK_SENSE | SCF_EMULATED_TASK_SENSE)) {
		req->result = SAM_STAT_CHECK_CONDITION;
		req->sense_len = min_t(unsigned int, se_cmd->scsi_sense_length,
				       VSCSIIF_SENSE_BUFFERSIZE);
		memcpy(req->sense, req->tsense, req->sense_len);
	}
	req->resid = se_cmd->se_cmd_flags & SCF_UNDERFLOW_BIT ?
		se_cmd->residual_count : 0;
	target_put_sess_cmd(se_cmd);
	return 0;
}

static int vscsiback_queue_data_in(struct se_cmd *se_cmd)
{
	return vscsiback_answer(se_cmd, SAM_STAT_GOOD);
}

static int vscsiback_queue_status(struct se_cmd *se_cmd)
{
	return vscsiback_answer(se_cmd, se_cmd->scsi_status);
}

static void vscsiback_queue_tm_rsp(struct se_cmd *se_cmd)
{
}

static void vscsiback_aborted_task(struct se_cmd *se_cmd)
{
}

/* ------------------------------------------------------------------ */
/* configfs: naa.<wwn>/tpgt_<n>/{lun,nexus}                             */
/* ------------------------------------------------------------------ */

/* "naa." and 16 or 32 hex digits, nothing else. */
static bool vscsiback_naa_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (strncmp(name, "naa.", 4) || (n != 20 && n != 36))
		return false;
	for (i = 4; i < n; i++)
		if (!isxdigit(name[i]))
			return false;
	return true;
}

static struct se_wwn *vscsiback_make_tport(struct target_fabric_configfs *tf,
					   struct config_group *group,
					   const char *name)
{
	struct vscsiback_tport *tport;

	if (!vscsiback_naa_ok(name)) {
		pr_err("target port \"%s\": expected naa.<16 or 32 hex digits>\n",
		       name);
		return ERR_PTR(-EINVAL);
	}
	tport = kzalloc(sizeof(*tport), GFP_KERNEL);
	if (!tport)
		return ERR_PTR(-ENOMEM);
	strscpy(tport->name, name, sizeof(tport->name));
	return &tport->wwn;
}

static void vscsiback_drop_tport(struct se_wwn *wwn)
{
	kfree(container_of(wwn, struct vscsiback_tport, wwn));
}

static int vscsiback_nexus_make(struct vscsiback_tpg *tpg, const char *name)
{
	struct se_session *sess;

	if (tpg->sess)
		return -EEXIST;
	sess = target_setup_session(&tpg->se_tpg, 0, 0, TARGET_PROT_NORMAL,
				    name, tpg, NULL);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	strscpy(tpg->initiator, name, sizeof(tpg->initiator));
	spin_lock(&tpg->lock);
	tpg->sess = sess;
	spin_unlock(&tpg->lock);
	return 0;
}

/* Under vscsiback_tpgs_lock. */
static void vscsiback_nexus_drop(struct vscsiback_tpg *tpg)
{
	struct se_session *sess;

	spin_lock(&tpg->lock);
	sess = tpg->sess;
	tpg->sess = NULL;
	spin_unlock(&tpg->lock);
	if (!sess)
		return;
	target_stop_session(sess);
	target_wait_for_sess_cmds(sess);
	target_remove_session(sess);
}

static ssize_t vscsiback_tpg_nexus_show(struct config_item *item, char *page)
{
	struct vscsiback_tpg *tpg = vscsi_tpg(to_tpg(item));
	ssize_t n;

	mutex_lock(&vscsiback_tpgs_lock);
	n = sysfs_emit(page, "%s\n", tpg->sess ? tpg->initiator : "");
	mutex_unlock(&vscsiback_tpgs_lock);
	return n;
}

static ssize_t vscsiback_tpg_nexus_store(struct config_item *item,
					 const char *page, size_t count)
{
	struct vscsiback_tpg *tpg = vscsi_tpg(to_tpg(item));
	char name[VSCSIBACK_WWN_MAX];
	int err = 0;

	if (count >= sizeof(name))
		return -EINVAL;
	strscpy(name, page, sizeof(name));
	strim(name);
	mutex_lock(&vscsiback_tpgs_lock);
	if (!strcmp(name, "NULL")) {
		if (tpg->users)
			err = -EBUSY;	/* devices of vhosts use it */
		else
			vscsiback_nexus_drop(tpg);
	} else if (!vscsiback_naa_ok(name)) {
		pr_err("nexus \"%s\": expected naa.<16 or 32 hex digits> or NULL\n",
		       name);
		err = -EINVAL;
	} else {
		err = vscsiback_nexus_make(tpg, name);
	}
	mutex_unlock(&vscsiback_tpgs_lock);
	return err ? err : count;
}

CONFIGFS_ATTR(vscsiback_tpg_, nexus);

static struct configfs_attribute *vscsiback_tpg_attrs[] = {
	&vscsiback_tpg_attr_nexus,
	NULL,
};

static struct se_portal_group *vscsiback_make_tpg(struct se_wwn *wwn,
						  const char *name)
{
	struct vscsiback_tport *tport = container_of(wwn,
						     struct vscsiback_tport,
						     wwn);
	struct vscsiback_tpg *tpg;
	u16 tag;
	int err;

	if (strncmp(name, "tpgt_", 5) || kstrtou16(name + 5, 10, &tag))
		return ERR_PTR(-EINVAL);
	tpg = kzalloc(sizeof(*tpg), GFP_KERNEL);
	if (!tpg)
		return ERR_PTR(-ENOMEM);
	kref_init(&tpg->kref);
	spin_lock_init(&tpg->lock);
	tpg->tport = tport;
	tpg->tag = tag;
	err = core_tpg_register(wwn, &tpg->se_tpg, SCSI_PROTOCOL_SAS);
	if (err) {
		kfree(tpg);
		return ERR_PTR(err);
	}
	tpg->registered = true;
	mutex_lock(&vscsiback_tpgs_lock);
	list_add_tail(&tpg->node, &vscsiback_tpgs);
	mutex_unlock(&vscsiback_tpgs_lock);
	return &tpg->se_tpg;
}

static void vscsiback_drop_tpg(struct se_portal_group *se_tpg)
{
	struct vscsiback_tpg *tpg = vscsi_tpg(se_tpg);

	mutex_lock(&vscsiback_tpgs_lock);
	list_del(&tpg->node);
	vscsiback_nexus_drop(tpg);
	mutex_unlock(&vscsiback_tpgs_lock);
	core_tpg_deregister(se_tpg);
	/* Devices still attached keep the memory until they go. */
	vscsiback_tpg_put(tpg);
}

static const struct target_core_fabric_ops vscsiback_ops = {
	.module = THIS_MODULE,
	.fabric_name = VSCSIBACK_FABRIC,
	.tpg_get_wwn = vscsiback_get_fabric_wwn,
	.tpg_get_tag = vscsiback_get_tag,
	.tpg_check_demo_mode = vscsiback_true,
	.tpg_check_demo_mode_cache = vscsiback_true,
	.tpg_check_demo_mode_write_protect = vscsiback_false,
	.tpg_check_prod_mode_write_protect = vscsiback_false,
	.tpg_get_inst_index = vscsiback_inst_index,
	.check_stop_free = vscsiback_check_stop_free,
	.release_cmd = vscsiback_release_cmd,
	.sess_get_index = vscsiback_sess_index,
	.write_pending = vscsiback_write_pending,
	.set_default_node_attributes = vscsiback_node_attrs,
	.get_cmd_state = vscsiback_cmd_state,
	.queue_data_in = vscsiback_queue_data_in,
	.queue_status = vscsiback_queue_status,
	.queue_tm_rsp = vscsiback_queue_tm_rsp,
	.aborted_task = vscsiback_aborted_task,
	.fabric_make_wwn = vscsiback_make_tport,
	.fabric_drop_wwn = vscsiback_drop_tport,
	.fabric_make_tpg = vscsiback_make_tpg,
	.fabric_drop_tpg = vscsiback_drop_tpg,
	.tfc_tpg_base_attrs = vscsiback_tpg_attrs,
	XMP_TCM_SUBMIT_DIRECT
};

int vscsiback_tcm_init(void)
{
	return target_register_template(&vscsiback_ops);
}

void vscsiback_tcm_exit(void)
{
	target_unregister_template(&vscsiback_ops);
}
