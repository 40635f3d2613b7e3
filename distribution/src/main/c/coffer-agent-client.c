/*
 * bin/coffer's fast path: one command sent to the user's running agent over its Unix
 * domain socket, in the wire format of org.coffer.client.Wire, without starting a JVM.
 * It finds the socket and checks it as org.coffer.client.Client does (every folder on the
 * way a real folder of this user's with mode 0700, never in the shared temp folder by a
 * name anyone could make first; the peer's uid by SO_PEERCRED before a byte is sent), plays the
 * agent's frames back (output, prompts answered without echo at this terminal, standard
 * input read only as far as the command asks) and exits with the command's status.
 *
 * Whenever it cannot serve the command (no agent, a socket left by a killed agent, an
 * agent for another environment, anything unexpected before the request is sent) it
 * exits with NOT_SERVED and bin/coffer runs the Java client, which decides again: a
 * difference between the two in finding the agent costs time, never a wrong keyring.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#define NOT_SERVED 199
#define FAILED 1
#define MAGIC 0x43465231u
#define COMMAND 1
#define MAX_FRAME (1 << 20)
/* sun_path holds 108 bytes with the terminating NUL */
#define MAX_SOCKET_PATH 107
/* converse's answer to REFUSED: no exit status, the command did not run */
#define REFUSED_STATUS (-1)

enum { OUT = 1, ERR = 2, PROMPT = 3, READ = 4, EXIT = 5, REFUSED = 6 };

/* Wire.FORWARDED, sorted by name as the Java client sends them. */
static const char *FORWARDED[] = {"APP_CONFIG_FILE", "COFFER_KEYRING_PASSWORD", "HOME",
                                  "KEYRING_CRYPTFILE_PASSWORD", "RES_KEYRING_PASSWORD"};
/* Wire.IDENTITY, in its order. */
static const char *IDENTITY[] = {"HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "KEYRING_CRYPTFILE_PATH",
                                 "DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND", "COFFER_MASTER_PASSWORD",
                                 "APP_CONFIG_FILE"};

static struct termios saved_tty;
static volatile sig_atomic_t tty_changed;
/* Once the request is sent the command may have run: from then on, never NOT_SERVED. */
static int request_sent;

/* A growing byte buffer: the request, and the paths. */
struct buf { char *data; size_t len, cap; };

static void put(struct buf *b, const void *bytes, size_t n) {
    if (b->len + n + 1 > b->cap) {
        /* not realloc: the old block may hold a password, and is wiped before it is freed */
        size_t cap = (b->len + n + 1) * 2;
        char *data = malloc(cap);
        if (data == NULL) exit(request_sent ? FAILED : NOT_SERVED);
        if (b->data != NULL) {
            memcpy(data, b->data, b->len);
            explicit_bzero(b->data, b->cap);
            free(b->data);
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void put_text(struct buf *b, const char *text) { put(b, text, strlen(text)); }

static void put_int(struct buf *b, uint32_t value) {
    unsigned char be[4] = {value >> 24, value >> 16, value >> 8, value};
    put(b, be, 4);
}

static void put_string(struct buf *b, const char *text) {
    put_int(b, (uint32_t) strlen(text));
    put_text(b, text);
}

/* Places.digest: FNV-1a, 64 bits, sixteen hex digits. */
static void digest(const char *bytes, size_t n, char out[17]) {
    uint64_t hash = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        hash = (hash ^ (unsigned char) bytes[i]) * 0x100000001b3ull;
    }
    snprintf(out, 17, "%016llx", (unsigned long long) hash);
}

static const char *non_blank(const char *name) {
    const char *value = getenv(name);
    if (value == NULL) return NULL;
    for (const char *c = value; *c; c++) {
        if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r' && *c != '\f' && *c != '\v') return value;
    }
    return NULL;
}

/* Appends "/name" as Path.resolve does: no second slash after the root. */
static void add_child(struct buf *b, const char *name) {
    if (b->len == 0 || b->data[b->len - 1] != '/') put_text(b, "/");
    put_text(b, name);
}

/* A path as java.nio's Path.of gives it: no repeated or trailing slash. */
static void add_path(struct buf *b, const char *path) {
    for (const char *c = path; *c; c++) {
        if (*c == '/' && b->len > 0 && b->data[b->len - 1] == '/') continue;
        put(b, c, 1);
    }
    if (b->len > 1 && b->data[b->len - 1] == '/') b->data[--b->len] = '\0';
}

/* Path.toAbsolutePath().normalize(): relative to the working folder, "." and ".." resolved. */
static int add_normalized(struct buf *b, const char *path) {
    struct buf whole = {0};
    if (path[0] != '/') {
        char cwd[4096];
        if (getcwd(cwd, sizeof cwd) == NULL) return -1;
        put_text(&whole, cwd);
        put_text(&whole, "/");
    }
    put_text(&whole, path);
    size_t start = b->len;
    char *save = NULL;
    for (char *part = strtok_r(whole.data, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
        if (strcmp(part, ".") == 0) continue;
        if (strcmp(part, "..") == 0) {
            while (b->len > start && b->data[b->len - 1] != '/') b->len--;
            if (b->len > start) b->len--;
            b->data[b->len] = '\0';
            continue;
        }
        put_text(b, "/");
        put_text(b, part);
    }
    if (b->len == start) put_text(b, "/");
    free(whole.data);
    return 0;
}

static const char *home(void) {
    const char *value = non_blank("HOME");
    if (value != NULL) return value;
    struct passwd *pw = getpwuid(getuid());
    return pw != NULL ? pw->pw_dir : NULL;
}

/* Places.state(). */
static int state(struct buf *b) {
    const char *explicit = non_blank("COFFER_STATE");
    if (explicit != NULL) return add_normalized(b, explicit);
    const char *xdg = non_blank("XDG_STATE_HOME");
    if (xdg != NULL && xdg[0] == '/') {
        add_path(b, xdg);
    } else {
        const char *h = home();
        if (h == NULL) return -1;
        add_path(b, h);
        add_child(b, ".local/state");
    }
    add_child(b, "coffer");
    return 0;
}

/* AgentSocket.requirePrivate: a real folder (not a link) of this user's, mode 0700. */
static int private_folder(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid() && (st.st_mode & 07777) == 0700;
}

/*
 * AgentSocket.find(): $XDG_RUNTIME_DIR/coffer/agent-DIGEST.sock, else the state folder's
 * agent/agent.sock, or, when that passes a socket address, agent.sock in the short folder
 * that the link agent/short names. Every folder on the way is checked private; -1 when one
 * is not, or there is none: the Java client then says why, or runs the command itself.
 */
static int socket_path(struct buf *socket) {
    struct buf st = {0}, folder = {0};
    if (state(&st) != 0) return -1;
    const char *xdg = non_blank("XDG_RUNTIME_DIR");
    int result = -1;
    if (xdg != NULL && xdg[0] == '/') {
        char hex[17], name[32];
        digest(st.data, st.len, hex);
        snprintf(name, sizeof name, "agent-%s.sock", hex);
        add_path(&folder, xdg);
        add_child(&folder, "coffer");
        put_text(socket, folder.data);
        add_child(socket, name);
        result = private_folder(folder.data) ? 0 : -1;
    } else {
        put_text(&folder, st.data);
        add_child(&folder, "agent");
        put_text(socket, folder.data);
        add_child(socket, "agent.sock");
        result = private_folder(folder.data) ? 0 : -1;
        if (result == 0 && socket->len > MAX_SOCKET_PATH) {
            struct buf link = {0};
            char target[4096];
            put_text(&link, folder.data);
            add_child(&link, "short");
            ssize_t n = readlink(link.data, target, sizeof target - 1);
            free(link.data);
            result = -1;
            if (n > 0) {
                target[n] = '\0';
                socket->len = 0;
                put_text(socket, target);
                add_child(socket, "agent.sock");
                result = private_folder(target) ? 0 : -1;
            }
        }
    }
    free(folder.data);
    free(st.data);
    return result;
}

/* Wire.fingerprint(install, env). */
static void fingerprint(char out[17]) {
    struct buf text = {0};
    const char *install = getenv("COFFER_INSTALL");
    put_text(&text, install != NULL ? install : "");
    put(&text, "", 1);
    for (size_t i = 0; i < sizeof IDENTITY / sizeof *IDENTITY; i++) {
        const char *value = getenv(IDENTITY[i]);
        if (value != NULL && *value) {
            put_text(&text, IDENTITY[i]);
            put_text(&text, "=");
            put_text(&text, value);
            put(&text, "", 1);
        }
    }
    digest(text.data, text.len, out);
    explicit_bzero(text.data, text.cap); /* it holds COFFER_MASTER_PASSWORD when set */
    free(text.data);
}

static int read_fully(int fd, void *into, size_t n) {
    char *at = into;
    while (n > 0) {
        ssize_t got = read(fd, at, n);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return -1;
        at += got;
        n -= (size_t) got;
    }
    return 0;
}

static int write_fully(int fd, const void *from, size_t n) {
    const char *at = from;
    while (n > 0) {
        ssize_t put = write(fd, at, n);
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) return -1;
        at += put;
        n -= (size_t) put;
    }
    return 0;
}

static int read_int(int fd, int32_t *value) {
    unsigned char be[4];
    if (read_fully(fd, be, 4) != 0) return -1;
    *value = (int32_t) ((uint32_t) be[0] << 24 | (uint32_t) be[1] << 16 | (uint32_t) be[2] << 8 | be[3]);
    return 0;
}

/* A length and its bytes; -1 is no bytes (end of input, no terminal). */
static int send_block(int fd, const char *bytes, int32_t n) {
    struct buf b = {0};
    put_int(&b, (uint32_t) n);
    if (n > 0) put(&b, bytes, (size_t) n);
    int result = write_fully(fd, b.data, b.len);
    explicit_bzero(b.data, b.cap);
    free(b.data);
    return result;
}

static void restore_tty(void) {
    if (tty_changed) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
        tty_changed = 0;
    }
}

static void interrupted(int sig) {
    restore_tty();
    signal(sig, SIG_DFL);
    raise(sig);
}

/*
 * Waits until standard input has something (or has ended) while watching the agent's
 * socket: 0 then, -1 at once when the agent went away meanwhile (its socket ended).
 */
static int await_stdin(int fd) {
    struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {fd, POLLIN | POLLRDHUP, 0}};
    for (;;) {
        int ready = poll(fds, 2, -1);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) return 0; /* the read below reports the problem */
        if (fds[1].revents != 0) {
            char c;
            ssize_t peeked = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
            if (peeked == 0 || (peeked < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return -1;
            if (peeked > 0) fds[1].fd = -1; /* a frame for later: stop watching, wait for the input */
        }
        if (fds[0].revents != 0) return 0;
    }
}

/* A secret typed without echo, as java.io.Console.readPassword reads it. */
static int answer_prompt(int fd, const char *prompt) {
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) return send_block(fd, NULL, -1);
    write_fully(STDOUT_FILENO, prompt, strlen(prompt));
    struct termios quiet;
    if (tcgetattr(STDIN_FILENO, &saved_tty) != 0) return send_block(fd, NULL, -1);
    quiet = saved_tty;
    quiet.c_lflag &= ~(tcflag_t) ECHO;
    quiet.c_lflag |= ECHONL;
    tty_changed = 1;
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    static char typed[MAX_FRAME];
    size_t n = 0;
    int ended = 0;
    while (n < sizeof typed) {
        if (await_stdin(fd) != 0) {
            restore_tty();
            explicit_bzero(typed, sizeof typed);
            return -1;
        }
        ssize_t got = read(STDIN_FILENO, typed + n, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) { ended = n == 0; break; }
        if (typed[n] == '\n') break;
        n++;
    }
    restore_tty();
    if (n > 0 && typed[n - 1] == '\r') n--;
    int result = send_block(fd, ended ? NULL : typed, ended ? -1 : (int32_t) n);
    explicit_bzero(typed, sizeof typed);
    return result;
}

static char *read_frame(int fd, int32_t *n) {
    if (read_int(fd, n) != 0 || *n < -1 || *n > MAX_FRAME) return NULL;
    char *bytes = malloc((size_t) (*n > 0 ? *n : 0) + 1);
    if (bytes == NULL || (*n > 0 && read_fully(fd, bytes, (size_t) *n) != 0)) {
        free(bytes);
        return NULL;
    }
    bytes[*n > 0 ? *n : 0] = '\0';
    return bytes;
}

/* Plays the agent's frames; the exit status, or REFUSED_STATUS when the agent sends the command back. */
static int converse(int fd) {
    static char input[1 << 16];
    for (;;) {
        unsigned char type;
        if (read_fully(fd, &type, 1) != 0) goto stopped;
        int32_t n;
        char *frame;
        switch (type) {
            case OUT:
            case ERR:
                if ((frame = read_frame(fd, &n)) == NULL) goto stopped;
                write_fully(type == OUT ? STDOUT_FILENO : STDERR_FILENO, frame, n > 0 ? (size_t) n : 0);
                explicit_bzero(frame, n > 0 ? (size_t) n : 0); /* keyring:get's output is the secret */
                free(frame);
                break;
            case PROMPT:
                if ((frame = read_frame(fd, &n)) == NULL) goto stopped;
                int answered = answer_prompt(fd, frame);
                free(frame);
                if (answered != 0) goto stopped;
                break;
            case READ: {
                int32_t max;
                if (read_int(fd, &max) != 0) goto stopped;
                if (max > (int32_t) sizeof input) max = sizeof input;
                if (max > 0 && await_stdin(fd) != 0) goto stopped;
                ssize_t got;
                do {
                    got = read(STDIN_FILENO, input, max > 0 ? (size_t) max : 0);
                } while (got < 0 && errno == EINTR);
                int sent = send_block(fd, input, got > 0 || max == 0 ? (int32_t) (got > 0 ? got : 0) : -1);
                explicit_bzero(input, got > 0 ? (size_t) got : 0);
                if (sent != 0) goto stopped;
                break;
            }
            case EXIT: {
                int32_t status;
                if (read_int(fd, &status) != 0) goto stopped;
                return status;
            }
            case REFUSED:
                return REFUSED_STATUS;
            default:
                fprintf(stderr, "coffer: talking to the agent failed: unknown frame %u\n", type);
                return FAILED;
        }
    }
stopped:
    fprintf(stderr, "coffer: the agent stopped before the command finished; it may or may not have taken effect\n");
    return FAILED;
}

int main(int argc, char **argv) {
    if (argc < 2) return NOT_SERVED;
    signal(SIGPIPE, SIG_IGN);
    /* the terminal gets its echo back on these; a signal the caller ignores stays ignored */
    int restoring[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof restoring / sizeof *restoring; i++) {
        if (signal(restoring[i], interrupted) == SIG_IGN) signal(restoring[i], SIG_IGN);
    }
    struct buf socket_file = {0};
    if (socket_path(&socket_file) != 0) return NOT_SERVED;

    struct stat sock;
    if (lstat(socket_file.data, &sock) != 0 || !S_ISSOCK(sock.st_mode)) return NOT_SERVED;
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (socket_file.len >= sizeof address.sun_path) return NOT_SERVED;
    memcpy(address.sun_path, socket_file.data, socket_file.len + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *) &address, sizeof address) != 0) {
        return NOT_SERVED; /* a socket left by an agent that was killed */
    }
    struct ucred peer;
    socklen_t length = sizeof peer;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0 || peer.uid != getuid()) {
        return NOT_SERVED; /* another user's process: the Java client says so */
    }

    struct buf request = {0};
    put_int(&request, MAGIC);
    put(&request, &(char) {COMMAND}, 1);
    put_int(&request, (uint32_t) (argc - 1));
    for (int i = 1; i < argc; i++) put_string(&request, argv[i]);
    uint32_t forwarded = 0;
    for (size_t i = 0; i < sizeof FORWARDED / sizeof *FORWARDED; i++) forwarded += getenv(FORWARDED[i]) != NULL;
    put_int(&request, forwarded);
    for (size_t i = 0; i < sizeof FORWARDED / sizeof *FORWARDED; i++) {
        const char *value = getenv(FORWARDED[i]);
        if (value != NULL) {
            put_string(&request, FORWARDED[i]);
            put_string(&request, value);
        }
    }
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) == NULL) return NOT_SERVED;
    put_string(&request, cwd);
    put(&request, &(char) {isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)}, 1);
    char print[17];
    fingerprint(print);
    put_string(&request, print);
    int sent = write_fully(fd, request.data, request.len);
    explicit_bzero(request.data, request.cap);
    free(request.data);
    if (sent != 0) return NOT_SERVED;
    request_sent = 1;
    int status = converse(fd);
    close(fd);
    /* the agent sent the command back before running it: the Java client decides again */
    if (status == REFUSED_STATUS) return NOT_SERVED;
    return status == NOT_SERVED ? FAILED : status;
}
