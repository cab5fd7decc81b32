/// The product version, shown in the console greeting and `passage --version`.
public enum PassageVersion {
    public static let current = "0.1.0"
}
