import PassageServices

/// STATS and GAPS share one limit of heavy queries at once, per user and in all: the statistics
/// service's (`HeavyQueryLimit`), under the name the console's GAPS handler and `ServiceLimits`
/// know it by until GAPS moves to the gaps service too.
public typealias HeavyQueryGate = HeavyQueryLimit
