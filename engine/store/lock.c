/* lock.c: the execution lock — one mutating execution per deployment.
 *
 * An flock() on STATE/locks/DEPLOYMENT.lock. The kernel releases it when
 * the holder's last descriptor closes, so a killed process never leaves a
 * stale lock and there is nothing to clean up. The holder writes its pid,
 * start time and command line into the file, only so that a refused
 * process can say who holds it; the flock, not the content, is the lock.
 * The file is never unlinked: unlinking a lock file lets a third process
 * lock a new file while the old one is still held.
 */
#include "store/store-int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

struct store_lock {
	int fd;                   /* holds the flock */
};

/* The holder's details, as written by write_holder(). */
struct holder {
	char *pid;
	char *since;
	char *command;
};

static void holder_release(struct holder *h)
{
	g_free(h->pid);
	g_free(h->since);
	g_free(h->command);
}

/* Reads "PID\nSINCE\nCOMMAND\n" from the lock file; fields missing (the
 * holder has not written them yet) stay NULL. */
static void read_holder(int fd, struct holder *h)
{
	char buf[4096];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	g_auto(GStrv) lines = NULL;

	memset(h, 0, sizeof(*h));
	if (n <= 0)
		return;
	buf[n] = '\0';
	lines = g_strsplit(buf, "\n", 4);
	if (!lines[0] || !lines[1] || !lines[2] || !*lines[0])
		return;
	h->pid = g_strdup(lines[0]);
	h->since = g_strdup(lines[1]);
	h->command = g_strdup(lines[2]);
}

static bool refuse(int fd, const char *deployment, struct bp_error **err)
{
	struct holder h;

	read_holder(fd, &h);
	if (h.pid)
		bp_error_set(err, BP_ERR_CONFLICT, NULL, NULL,
			     "deployment '%s' is locked by pid %s ('%s') since "
			     "%s", deployment, h.pid, h.command, h.since);
	else
		bp_error_set(err, BP_ERR_CONFLICT, NULL, NULL,
			     "deployment '%s' is locked by another process "
			     "(which has not said who it is yet)", deployment);
	holder_release(&h);
	return false;
}

/* Replaces the file's content with our details. A failure here is not
 * fatal (the flock is the lock) and is ignored. */
static void write_holder(int fd, const char *command)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *since = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	g_autofree char *cmd = g_strdup(command ? command : "");
	g_autofree char *text = NULL;
	size_t len;

	g_strdelimit(cmd, "\r\n", ' ');
	text = g_strdup_printf("%ld\n%s\n%s\n", (long)getpid(), since, cmd);
	len = strlen(text);
	if (ftruncate(fd, 0) < 0)
		return;
	if (pwrite(fd, text, len, 0) != (ssize_t)len && ftruncate(fd, 0) < 0)
		return;   /* a reader then sees no details, which it handles */
}

/* Takes the flock without waiting. Returns 0, or the errno. */
static int try_flock(int fd)
{
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EINTR)
			return errno;
	}
	return 0;
}

static bool io_fail(const char *what, const char *path, int e,
		    struct bp_error **err)
{
	bp_error_set(err, BP_ERR_IO, NULL, NULL, "cannot %s '%s': %s", what,
		     path, g_strerror(e));
	return false;
}

bool store_lock_acquire(struct store *s, const char *deployment,
			const char *command, struct store_lock **out,
			struct bp_error **err)
{
	g_autofree char *dir = NULL;
	g_autofree char *name = NULL;
	g_autofree char *path = NULL;
	struct store_lock *l;
	int fd, e;

	if (!store__check_deployment_id(deployment, err))
		return false;
	dir = g_build_filename(s->state_dir, "locks", NULL);
	if (g_mkdir_with_parents(dir, 0700) < 0)
		return io_fail("create", dir, errno, err);
	name = g_strconcat(deployment, ".lock", NULL);
	path = g_build_filename(dir, name, NULL);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return io_fail("open", path, errno, err);
	e = try_flock(fd);
	if (e) {
		if (e == EWOULDBLOCK)
			refuse(fd, deployment, err);
		else
			io_fail("lock", path, e, err);
		close(fd);
		return false;
	}
	write_holder(fd, command);
	l = g_new0(struct store_lock, 1);
	l->fd = fd;
	*out = l;
	return true;
}

void store_lock_free(struct store_lock *l)
{
	if (!l)
		return;
	/* Clear the details first: once unlocked, they would name us. Should
	 * that fail, the next holder overwrites them anyway. */
	if (ftruncate(l->fd, 0) < 0)
		g_debug("cannot clear an execution lock file: %s",
			g_strerror(errno));
	close(l->fd);
	g_free(l);
}
