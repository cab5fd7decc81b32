import PassageCore
import Postgres

/// The four COPY streams of a demo load. Each pass draws the whole population again and writes
/// one table's rows; ids are given explicitly (from `IdBases`), in the order the rows are drawn,
/// so that a need's referrals and a referral's events name ids the earlier passes wrote.
struct DemoCopy {
    let population: DemoPopulation
    /// Database ids by the population's organisation and provider indexes.
    let organisations: [Int64]
    let providers: [Int64]
    let providerOrganisations: [Int64]
    let ids: IdBases
    let classifier: Classifier

    /// Bytes per COPY message (see CaseImport.copyMessageSize).
    private static let messageSize = 16_384

    private func stream(
        _ sql: String, on connection: PostgresConnection,
        _ body: (DemoCase, inout CopyTextRow) throws -> Void
    ) throws -> Int {
        try connection.copyIn(sql) { writer in
            var rows = CopyTextRow()
            for demoCase in population.cases {
                try body(demoCase, &rows)
                if rows.bytes.count >= Self.messageSize {
                    try writer.write(rows.bytes)
                    rows.reset()
                }
            }
            try writer.write(rows.bytes)
        }
    }

    /// Cases with their rule results from the real classifier; counts by primary category.
    mutating func cases(on connection: PostgresConnection) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        var scratch: [UInt8] = []
        let classifierVersion = Classifier.version
        _ = try stream(
            """
            COPY cases (id, organisation_id, ref, caseworker, facts, classification, classifier_version, classified_by,
                        primary_category, categories, review, created_at, classified_at, updated_at, record_key) FROM STDIN
            """, on: connection
        ) { demoCase, row in
            let facts: CaseFacts
            do {
                facts = try CaseFacts.decode(jsonLine: demoCase.factsJSON)
            } catch let error as CaseFactsError {
                throw StoreError.unusable("demo generator produced invalid facts for \(demoCase.ref): \(error.message)")
            }
            let result = classifier.classify(facts)
            counts[result.primaryID, default: 0] += 1
            let caseworker = population.organisations[demoCase.organisation].caseworker
            let created = CopyTime.text(demoCase.createdAt)
            row.integer(ids.cases + Int64(demoCase.index))
            row.integer(organisations[demoCase.organisation])
            row.text(demoCase.ref)
            row.text(caseworker)
            scratch.removeAll(keepingCapacity: true)
            facts.appendCanonicalJSON(to: &scratch)
            row.text(utf8: scratch)
            scratch.removeAll(keepingCapacity: true)
            result.appendResultJSON(to: &scratch)
            row.text(utf8: scratch)
            row.text(classifierVersion)
            row.text(caseworker)
            row.text(result.primaryID)
            row.identifierArray(result.categories.map(\.rawValue))
            row.boolean(result.review)
            row.text(created)
            row.text(created)
            row.text(created)
            row.integer(Int64(demoCase.recordKey))
            row.endRow()
        }
        return counts
    }

    func needs(on connection: PostgresConnection) throws -> Int {
        var needID = ids.needs
        return try stream(
            """
            COPY needs (id, case_id, organisation_id, code, priority, status, identified_by, identified_at, version,
                        updated_at, record_key) FROM STDIN
            """, on: connection
        ) { demoCase, row in
            for need in demoCase.needs {
                row.integer(needID)
                row.integer(ids.cases + Int64(demoCase.index))
                row.integer(organisations[demoCase.organisation])
                row.text(need.code)
                row.text(need.priority)
                row.text(need.status)
                row.text(population.organisations[demoCase.organisation].caseworker)
                CopyTime.append(need.identifiedAt, to: &row)
                row.integer(Int64(need.version))
                CopyTime.append(need.updatedAt, to: &row)
                row.integer(Int64(need.recordKey))
                row.endRow()
                needID += 1
            }
        }
    }

    func referrals(on connection: PostgresConnection) throws -> Int {
        var needID = ids.needs
        var referralID = ids.referrals
        return try stream(
            """
            COPY referrals (id, case_id, need_id, provider_id, service, referring_organisation_id, receiving_organisation_id,
                            priority, status, outcome, reason, consent, caregiver_informed, created_by, created_at, due_at,
                            accepted_at, closed_at, version, updated_at, record_key) FROM STDIN
            """, on: connection
        ) { demoCase, row in
            let caseworker = population.organisations[demoCase.organisation].caseworker
            for need in demoCase.needs {
                for referral in need.referrals {
                    row.integer(referralID)
                    row.integer(ids.cases + Int64(demoCase.index))
                    row.integer(needID)
                    row.integer(providers[referral.provider])
                    row.text(referral.service)
                    row.integer(organisations[demoCase.organisation])
                    row.integer(providerOrganisations[referral.provider])
                    row.text(referral.priority)
                    row.text(referral.status)
                    Self.optional(referral.outcome, &row)
                    Self.optional(referral.reason, &row)
                    row.boolean(true)
                    if let informed = referral.caregiverInformed { row.boolean(informed) } else { row.null() }
                    row.text(caseworker)
                    CopyTime.append(referral.createdAt, to: &row)
                    CopyTime.append(referral.dueAt, to: &row)
                    Self.optionalTime(referral.acceptedAt, &row)
                    Self.optionalTime(referral.closedAt, &row)
                    row.integer(Int64(referral.version))
                    CopyTime.append(referral.updatedAt, to: &row)
                    row.integer(Int64(referral.recordKey))
                    row.endRow()
                    referralID += 1
                }
                needID += 1
            }
        }
    }

    func events(on connection: PostgresConnection) throws -> Int {
        var referralID = ids.referrals
        var eventID = ids.events
        return try stream(
            """
            COPY referral_events (id, referral_id, at, actor, from_status, to_status, outcome, reason, actor_organisation_id) FROM STDIN
            """, on: connection
        ) { demoCase, row in
            for need in demoCase.needs {
                for referral in need.referrals {
                    for event in referral.events {
                        row.integer(eventID)
                        row.integer(referralID)
                        CopyTime.append(event.at, to: &row)
                        row.text(event.actor)
                        Self.optional(event.from, &row)
                        row.text(event.to)
                        Self.optional(event.outcome, &row)
                        Self.optional(event.reason, &row)
                        // Creation and cancellation are the referring side's; the rest the provider's.
                        let referring = event.from == nil || event.to == "cancelled"
                        row.integer(
                            referring ? organisations[demoCase.organisation] : providerOrganisations[referral.provider])
                        row.endRow()
                        eventID += 1
                    }
                    referralID += 1
                }
            }
        }
    }

    private static func optional(_ value: String?, _ row: inout CopyTextRow) {
        if let value { row.text(value) } else { row.null() }
    }

    private static func optionalTime(_ value: Int64?, _ row: inout CopyTextRow) {
        if let value { CopyTime.append(value, to: &row) } else { row.null() }
    }
}
