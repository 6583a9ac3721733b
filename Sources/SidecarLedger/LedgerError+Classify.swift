import CSQLite

extension LedgerError {
    /// Maps an error met while opening to the case that tells the user what to do.
    static func classify(_ error: any Error, path: String) -> LedgerError {
        if let error = error as? LedgerError { return error }
        if let error = error as? SchemaVersionError {
            return .newerSchema(path: path, found: error.found, supported: Schema.currentVersion)
        }
        guard let error = error as? SQLiteError else { return .openFailed(path: path, detail: "\(error)") }
        switch error.primaryCode {
        case SQLITE_NOTADB, SQLITE_CORRUPT: return .corrupt(path: path, detail: error.message)
        case SQLITE_BUSY, SQLITE_LOCKED: return .locked(path: path)
        case SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN: return .readOnly(path: path, detail: error.message)
        default: return .openFailed(path: path, detail: error.description)
        }
    }
}
