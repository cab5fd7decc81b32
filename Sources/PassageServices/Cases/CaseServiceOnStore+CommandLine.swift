import PassageCore
import PassageStore
import Postgres

/// The operator's bulk work on cases (`passage import`, `passage reclassify`): each manages its
/// own transactions on one connection (the import one COPY, reclassification one per batch), so
/// it runs while the server serves.
extension CaseServiceOnStore {
    func importCases(_ request: CaseImportRequest, by actor: Actor) async throws(ServiceError) -> CaseImportReport {
        let classifier = cases.classifier
        do {
            let report = try await store.pool.withConnection { connection in
                let organisation = try OrganisationStore.id(named: request.organisation, create: true, on: connection)
                return try CaseImport(classifier: classifier).run(
                    path: request.path, organisation: organisation, caseworker: request.caseworker,
                    skipBad: request.skipBad,
                    rejectsPath: request.rejectsPath, on: connection)
            }
            return CaseImportReport(
                imported: report.imported,
                badLines: report.badLines.map { .init(line: $0.line, ref: $0.ref, message: $0.message) },
                importedByCategory: report.importedByCategory, refused: report.refused,
                validating: report.validating, loading: report.loading)
        } catch {
            throw StoreWork.serviceError(for: error)
        }
    }

    func casesAwaitingReclassification(by actor: Actor) async throws(ServiceError) -> Int {
        do {
            return try await store.pool.withConnection { try CaseReclassification.pendingCount(on: $0) }
        } catch {
            throw StoreWork.serviceError(for: error)
        }
    }

    func reclassify(
        batchSize: Int, by actor: Actor,
        progress: @escaping @Sendable (ReclassificationBatch) -> Void
    ) async throws(ServiceError) -> ReclassificationBatch {
        let reclassification = CaseReclassification(
            classifier: cases.classifier, batchSize: batchSize, operatorName: actor.name)
        do {
            return try await store.pool.withConnection { connection in
                var total = ReclassificationBatch(lastCaseID: 0)
                while let batch = try reclassification.runBatch(after: total.lastCaseID, on: connection) {
                    total.add(batch)
                    progress(total)
                }
                try connection.transaction { connection in
                    try AuditLog.append(
                        actor: actor.name, action: .casesReclassify, subject: "classifier:\(Classifier.version)",
                        source: actor.source,
                        detail: "reclassified=\(total.reclassified) changed_category=\(total.changedCategory) "
                            + "overrides_differing=\(total.overridesDiffering.count)", on: connection)
                }
                return total
            }
        } catch {
            throw StoreWork.serviceError(for: error)
        }
    }
}
