extension CaseFacts {
    /// The facts as one compact JSON object in the contract's vocabulary, keys in the contract's
    /// order, absent keys left out (so absent stays "unknown" and `null` stays `null`), arrays in
    /// the order given. Decoding it gives back equal facts; the store keeps it as jsonb.
    public var canonicalJSON: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        appendCanonicalJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        var object = CanonicalObjectWriter(bytes: bytes)
        bytes = []
        object.string(.ref, ref)
        object.integer(.age, age)
        object.id(.sex, sex?.rawValue)
        object.id(.nationality, nationality?.description)
        object.ids(.otherNationalities, otherNationalities?.map(\.alpha2))
        object.id(.habitualResidence, habitualResidence?.alpha2)
        object.id(.originArea, originArea?.code)
        object.id(.currentCountry, currentCountry.alpha2)
        object.id(.currentArea, currentArea?.code)
        object.bool(.crossedBorder, crossedBorder)
        object.bool(.leftHome, leftHome)
        object.bool(.forced, forced)
        object.ids(.causes, causes?.map(\.rawValue))
        object.ids(.persecutionGrounds, persecutionGrounds?.map(\.rawValue))
        object.id(.persecutionAgent, persecutionAgent?.rawValue)
        object.bool(.stateProtection, stateProtection)
        object.bool(.otherNationalityProtection, otherNationalityProtection)
        object.id(.asylum, asylum?.rawValue)
        object.id(.unrwa, unrwa?.rawValue)
        object.bool(.nationalRights, nationalRights)
        object.bool(.excluded, excluded)
        switch employment {
        case nil: break
        case .null?: object.null(.employment)
        case .value(let details)?:
            object.nested(.employment) { inner in
                inner.id(.employmentStatus, details.status?.rawValue)
                inner.integer(.employmentSkillLevel, details.skillLevel)
                inner.bool(.employmentAuthorized, details.authorized)
                inner.bool(.employmentSponsored, details.sponsored)
                inner.id(.employmentKind, details.kind?.rawValue)
                inner.id(.employmentCountry, details.country?.alpha2)
                inner.id(.employmentCapacity, details.capacity?.rawValue)
                inner.bool(.employmentAdmittedToReside, details.admittedToReside)
            }
        }
        switch trafficking {
        case nil: break
        case .null?: object.null(.trafficking)
        case .value(let details)?:
            object.nested(.trafficking) { inner in
                inner.ids(.traffickingActs, details.acts?.map(\.rawValue))
                inner.ids(.traffickingMeans, details.means?.map(\.rawValue))
                inner.ids(.traffickingPurposes, details.purposes?.map(\.rawValue))
                inner.integer(.traffickingAgeAtAct, details.ageAtAct)
            }
        }
        object.bool(.smuggled, smuggled)
        bytes = object.finish()
    }
}

/// Writes the members of one object, skipping absent values and placing commas.
private struct CanonicalObjectWriter {
    private var bytes: [UInt8]
    private var isFirst = true

    init(bytes: [UInt8]) {
        self.bytes = bytes
        self.bytes.append(UInt8(ascii: "{"))
    }

    mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func key(_ key: FactKey) {
        if !isFirst { bytes.append(UInt8(ascii: ",")) }
        isFirst = false
        JSONByteWriter.appendString(key.localName, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ name: FactKey, _ value: String?) {
        guard let value else { return }
        key(name)
        JSONByteWriter.appendString(value, to: &bytes)
    }

    mutating func id(_ name: FactKey, _ value: String?) { string(name, value) }

    mutating func integer(_ name: FactKey, _ value: Int?) {
        guard let value else { return }
        key(name)
        JSONByteWriter.appendInt(value, to: &bytes)
    }

    mutating func bool(_ name: FactKey, _ value: Bool?) {
        guard let value else { return }
        key(name)
        JSONByteWriter.appendBool(value, to: &bytes)
    }

    mutating func ids(_ name: FactKey, _ values: [String]?) {
        guard let values else { return }
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONByteWriter.appendString(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func null(_ name: FactKey) {
        key(name)
        JSONByteWriter.appendRaw("null", to: &bytes)
    }

    mutating func nested(_ name: FactKey, _ body: (inout CanonicalObjectWriter) -> Void) {
        key(name)
        var inner = CanonicalObjectWriter(bytes: [])
        body(&inner)
        bytes.append(contentsOf: inner.finish())
    }
}
