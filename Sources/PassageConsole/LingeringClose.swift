import NIOCore

/// Closes a console connection so that its last line reaches the client.
///
/// Closing a TCP socket while the client's bytes sit unread in it makes the kernel answer with a
/// reset instead of an orderly end (RFC 1122, 4.2.2.13), and a reset can make the client's
/// kernel throw away what it received but the client has not read yet: the `421 idle timeout`
/// or `221 bye` just sent. A client still typing when it is cut off (the slow-client flood drill
/// dribbling a line; a script that pipelines past QUIT) then reads "connection reset" instead of
/// the reason. So, as web servers do (Apache's "lingering close"): send our end of the stream
/// (half-close), keep reading and dropping whatever the client still sends until it closes its
/// side too, and close for good then, or after `linger` at the latest.
enum LingeringClose {
    static let linger = TimeAmount.seconds(2)

    static func close(_ channel: any Channel, linger: TimeAmount = linger) {
        channel.eventLoop.execute {
            guard channel.isActive,
                let handler = try? channel.pipeline.syncOperations.handler(type: ConnectionInboxHandler.self)
            else {
                channel.close(promise: nil)
                return
            }
            // The idle watcher's notice and the end of the connection's task both close it.
            guard handler.inbox.startLingering() else { return }
            let peerClosed = channel.eventLoop.makePromise(of: Void.self)
            let deadline = channel.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
            peerClosed.futureResult.whenComplete { _ in
                deadline.cancel()
                channel.close(promise: nil)
            }
            handler.inbox.discardUntilPeerCloses(peerClosed)
            // A channel that cannot half-close (TLS without it) closes at once, as before.
            channel.close(mode: .output).whenFailure { _ in channel.close(promise: nil) }
        }
    }
}
