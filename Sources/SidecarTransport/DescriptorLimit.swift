#if canImport(Glibc)
import Glibc
#endif

/// The process's open-file limit, raised at startup so `max_connections` fits.
///
/// systemd and most shells start services with a soft limit of 1,024, far below the default 10,000
/// connections; the hard limit is usually much higher, and raising the soft one needs no privilege.
enum DescriptorLimit {
    /// Descriptors kept for everything besides client connections: the ledger, the loop, logs, and the
    /// upstream connections of the requests in flight.
    static let reserve = 256

    /// Raises the soft limit to the hard one; warns when `maxConnections` still does not fit.
    static func raise(toFit maxConnections: Int, logger: Logger) {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        // RLIM_INFINITY is all ones.
        guard limit.rlim_cur != rlim_t.max, limit.rlim_cur < rlim_t(maxConnections + reserve) else { return }
        logger.warn(
            "descriptors.low",
            [
                "limit": String(limit.rlim_cur), "max_connections": String(maxConnections),
                "advice": "raise the hard limit (LimitNOFILE=, ulimit -Hn) or lower limits.max_connections",
            ])
    }

    private static var resource: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_NOFILE.rawValue) }
}
