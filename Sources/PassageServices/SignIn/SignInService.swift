import PassageCore

/// The use cases of this area, as every interface sees them (see ApplicationServices).
public protocol SignInService: Sendable {
}
