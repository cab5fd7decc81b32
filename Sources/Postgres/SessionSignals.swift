import CLibPQ

/// What the server told this session outside any statement. libpq hands an ErrorResponse that
/// arrives while the session is idle (the FATAL a backend sends when pg_terminate_backend or a
/// shutdown ends it, or the WARNING an immediate shutdown sends) to the notice receiver; we keep it so the session is known to be dead
/// before anyone sends it a query.
final class SessionSignals {
    var terminationMessage: String?
}

extension PostgresConnection {
    /// Replaces libpq's default receiver, which would print every NOTICE to stderr.
    func installNoticeReceiver() {
        guard let handle else { return }
        let context = Unmanaged.passUnretained(signals).toOpaque()
        PQsetNoticeReceiver(
            handle,
            { context, result in
                guard let context, let result else { return }
                let signals = Unmanaged<SessionSignals>.fromOpaque(context).takeUnretainedValue()
                let severity = PQresultErrorField(result, Int32(UInt8(ascii: "V"))).map { String(cString: $0) }
                let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
                // An immediate shutdown (and a crash restart) tells idle sessions with a WARNING
                // of class 57P0x before the backend exits, not with a FATAL.
                let shutdown = state == "57P01" || state == "57P02" || state == "57P03"
                guard severity == "FATAL" || severity == "PANIC" || shutdown else { return }
                let message = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
                signals.terminationMessage = message ?? "the server ended the session"
            }, context)
    }
}
