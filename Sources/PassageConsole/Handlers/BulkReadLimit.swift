import PassageServices

extension BulkReadLimit {
    /// Wraps a bulk-read handler not yet moved onto the application services: refused while the
    /// user's bucket is empty, charged after with the rows of its reply.
    public func limiting(_ handler: @escaping CommandHandler) -> CommandHandler {
        { invocation, session in
            let user = try invocation.signedInUser().name
            do throws(ServiceError) {
                try self.admit(user)
            } catch {
                throw ConsoleError(error)
            }
            let reply = try await handler(invocation, session)
            self.charge(user, rows: reply.data?.count ?? 0)
            return reply
        }
    }
}
