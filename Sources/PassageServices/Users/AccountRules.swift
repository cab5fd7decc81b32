import PassageStore

/// The rules an account's name and password must follow, for an interface that wants to refuse
/// a bad one before it opens anything (`passage user add` before the database starts). The
/// use cases check the same rules again.
public enum AccountRules {
    public static func checkName(_ name: String) throws(ServiceError) {
        do { try UserStore.validateName(name) } catch { throw StoreWork.serviceError(for: error) }
    }

    public static func checkPassword(_ password: String) throws(ServiceError) {
        do { try UserStore.validatePassword(password) } catch { throw StoreWork.serviceError(for: error) }
    }
}
