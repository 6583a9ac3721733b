// Linux's readiness API, which the Glibc module does not export: epoll for the event loops and eventfd to
// wake a loop from another thread. Part of the C library itself; nothing to link.
#include <sys/epoll.h>
#include <sys/eventfd.h>
