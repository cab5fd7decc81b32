/// ICRMW art. 3: "The present Convention shall not apply to:
/// (a) Persons sent or employed by international organizations and agencies or persons sent or
///     employed by a State outside its territory to perform official functions, whose admission
///     and status are regulated by general international law or by specific international
///     agreements or conventions;
/// (b) Persons sent or employed by a State or on its behalf outside its territory who participate
///     in development programmes and other co-operation programmes, whose admission and status
///     are regulated by agreement with the State of employment and who, in accordance with that
///     agreement, are not considered migrant workers;
/// (c) Persons taking up residence in a State different from their State of origin as investors;
/// (d) Refugees and stateless persons, unless such application is provided for in the relevant
///     national legislation of, or international instruments in force for, the State Party
///     concerned;
/// (e) Students and trainees;
/// (f) Seafarers and workers on an offshore installation who have not been admitted to take up
///     residence and engage in a remunerated activity in the State of employment."
///
/// The refugee limb of 3(d) is decided by `InternationalProtection` (the caller passes it to
/// `MigrantWorkersConventionArticle2`); here is everything else. The "unless" clause of 3(d) is
/// not modelled (contract v2 Part B, C4).
enum MigrantWorkersConventionArticle3 {
    /// The notes of the paragraphs that apply, in paragraph order; empty when none does.
    static func exclusions(_ facts: CaseFacts, _ employment: Employment) -> [ClassificationNote] {
        var notes: [ClassificationNote] = []
        let capacity = employment.capacity
        if capacity == .officialFunctions { notes.append(.icrmw3a) }
        if capacity == .cooperationProgramme { notes.append(.icrmw3b) }
        if capacity == .investor { notes.append(.icrmw3c) }
        if facts.nationality == .stateless { notes.append(.icrmw3d) }
        if isStudentOrTrainee(facts, capacity: capacity) { notes.append(.icrmw3e) }
        if employment.kind == .seafarer || employment.kind == .offshore, employment.admittedToReside != true {
            // The Convention lets them in only through that admission, so unknown keeps them out.
            notes.append(.icrmw3f)
        }
        return notes
    }

    /// 3(e): stated, or presumed of a person who left to study and not for work (`capacity:
    /// worker` rebuts the presumption).
    private static func isStudentOrTrainee(_ facts: CaseFacts, capacity: EmploymentCapacity?) -> Bool {
        switch capacity {
        case .student?, .trainee?: return true
        case nil: return facts.has(.study) && !facts.has(.work)
        default: return false
        }
    }
}
