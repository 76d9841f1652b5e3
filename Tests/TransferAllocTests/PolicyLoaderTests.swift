import BigInt
import Testing
@testable import TransferAlloc

@Suite struct PolicyLoaderTests {
    func load(_ json: String?, file: String? = "p.json", _ overrides: [String] = []) throws(InputError) -> Policy {
        try PolicyLoader.load(fileBytes: json.map { Array($0.utf8) }, file: json == nil ? nil : file,
                              overrides: .set(overrides))
    }

    func failure(_ json: String?, file: String? = "p.json", _ overrides: [String] = []) -> InputError? {
        do {
            _ = try load(json, file: file, overrides)
            return nil
        } catch {
            return error
        }
    }

    static func r(_ text: String) -> Rational { ExactDecimal(jsonNumberLiteral: text)!.rational }

    // MARK: Default

    @Test func defaultValuesAreExactlyTheContractDefault() throws {
        let policy = Policy.builtInDefault
        #expect(policy.name == "illustrative default")
        #expect(policy.label == "illustrative default")
        #expect(policy.isIllustrative)
        #expect(policy.money == MoneyPolicy(
            granularity: Rational(1, 100),
            weights: [.settled: Rational(4, 5), .permits: Rational(1, 5)],
            originCoefficients: [.crossProvince: Rational(6, 5), .withinProvince: Rational(1),
                                 .withinCity: Rational(4, 5), .settled: Rational(1)],
            priorDecay: [Rational(4, 5), Rational(3, 5), Rational(2, 5), Rational(1, 5)],
            coefficientColumns: ["fiscal_coef"],
            bounds: MoneyBounds(floorAmount: .zero, maxGrowth: nil, minRetention: nil, capPerSettler: nil)))
        #expect(policy.money.granularityFen == 1)
        #expect(policy.land == LandPolicy(
            unit: .mu, decimals: 2,
            tiers: [LandTier(upTo: Rational(100), standard: Rational(100)),
                    LandTier(upTo: Rational(150), standard: Rational(80)),
                    LandTier(upTo: nil, standard: Rational(50))],
            adjustment: .zero, permitWeight: .zero))
        #expect(try load(nil) == policy)
    }

    @Test func defaultValuesInDocumentOrder() {
        let values = Policy.builtInDefault.values
        #expect(values.map { "\($0.path)=\($0.text)" } == [
            "name=illustrative default",
            "money.granularity=0.01",
            "money.weights.settled=0.8", "money.weights.permits=0.2",
            "money.origin_coefficients.cross_province=1.2", "money.origin_coefficients.within_province=1.0",
            "money.origin_coefficients.within_city=0.8", "money.origin_coefficients.settled=1.0",
            "money.prior_decay[1]=0.8", "money.prior_decay[2]=0.6", "money.prior_decay[3]=0.4",
            "money.prior_decay[4]=0.2",
            "money.coefficient_columns[1]=fiscal_coef",
            "money.bounds.floor_amount=0", "money.bounds.max_growth=null", "money.bounds.min_retention=null",
            "money.bounds.cap_per_settler=null",
            "land.unit=mu", "land.decimals=2",
            "land.tiers[1].up_to=100", "land.tiers[1].standard=100", "land.tiers[2].up_to=150",
            "land.tiers[2].standard=80", "land.tiers[3].standard=50",
            "land.adjustment=0", "land.permit_weight=0",
        ])
    }

    @Test func everyDefaultValueHasASourceAndTheNotesCiteTheDocuments() throws {
        let policy = Policy.builtInDefault
        #expect(policy.values.filter { $0.source == nil }.map(\.path) == [])
        #expect(policy.sources.count == 19)
        let weights = try #require(policy.source(for: "money.weights.settled"))
        #expect(weights.contains("国发〔2016〕44号《国务院关于实施支持农业转移人口市民化若干财政政策的通知》"))
        #expect(weights.contains("illustrative value, not taken from a document"))
        for path in ["money.origin_coefficients.cross_province", "money.prior_decay", "money.weights.permits"] {
            #expect(policy.sources[path]?.contains("not taken from a document") == true, "\(path)")
        }
        let tiers = try #require(policy.source(for: "land.tiers[2].standard"))
        #expect(tiers == policy.sources["land.tiers"])
        #expect(tiers.contains("国土资发〔2016〕123号《关于建立城镇建设用地增加规模同吸纳农业转移人口落户数量挂钩机制的实施意见》"))
        #expect(tiers.contains("100 m²") && tiers.contains("80 m²") && tiers.contains("50 m²"))
        let adjustment = try #require(policy.source(for: "land.adjustment"))
        #expect(adjustment.contains("国土资发〔2016〕123号") && adjustment.contains("±10%"))
        #expect(policy.source(for: "money") == nil)
        #expect(policy.source(for: "nowhere.at.all") == nil)
    }

    // MARK: Numbers and merging

    @Test func decimalTextIsExact() throws {
        let policy = try load(#"{"money": {"granularity": 0.1, "weights": {"settled": "1e-1", "permits": 0.9}}}"#)
        #expect(policy.money.granularity == Rational(1, 10))
        #expect(policy.money.granularityFen == 10)
        #expect(policy.money.weights == [.settled: Rational(1, 10), .permits: Rational(9, 10)])
    }

    @Test(arguments: [("0.01", 1), ("1", 100), ("10000", 1_000_000), ("\"1e4\"", 1_000_000), ("0.5", 50)])
    func granularityInFen(text: String, fen: Int) throws {
        let policy = try load(#"{"money": {"granularity": \#(text)}}"#)
        #expect(policy.money.granularityFen == BigInt(fen))
    }

    @Test func weightsAreReplacedWholeOtherObjectsMergeKeyByKey() throws {
        let policy = try load(#"""
        {"money": {"weights": {"settled": "1"},
                   "origin_coefficients": {"cross_province": "1.5"},
                   "prior_decay": ["0.5"],
                   "bounds": {"max_growth": "0.1"}},
         "land": {"tiers": [{"standard": "60"}], "unit": "公顷"}}
        """#)
        #expect(policy.money.weights == [.settled: Rational(1)])
        #expect(policy.money.originCoefficients == [.crossProvince: Rational(3, 2), .withinProvince: Rational(1),
                                                    .withinCity: Rational(4, 5), .settled: Rational(1)])
        #expect(policy.money.priorDecay == [Rational(1, 2)])
        #expect(policy.money.bounds == MoneyBounds(floorAmount: .zero, maxGrowth: Rational(1, 10)))
        #expect(policy.money.granularity == Rational(1, 100))
        #expect(policy.land.tiers == [LandTier(upTo: nil, standard: Rational(60))])
        #expect(policy.land.unit == .hectare)
        #expect(policy.land.decimals == 2)
        #expect(policy.money.coefficientColumns == ["fiscal_coef"])
    }

    @Test func changedValuesLoseTheDefaultNoteUnchangedOnesKeepIt() throws {
        let policy = try load(#"""
        {"name": "江苏 2025", "money": {"weights": {"permits": "0.25", "settled": "0.75"}},
         "sources": {"money.weights": "苏财预〔2025〕1号 第三条"}}
        """#)
        #expect(policy.source(for: "money.weights.settled") == "苏财预〔2025〕1号 第三条")
        #expect(policy.sources["money.weights.settled"] == nil)
        #expect(policy.sources["name"] == nil)
        #expect(policy.source(for: "money.granularity") == Policy.builtInDefault.sources["money.granularity"])
        #expect(policy.values.prefix(4).map { "\($0.path)=\($0.text)" } == [
            "name=江苏 2025", "money.granularity=0.01", "money.weights.permits=0.25", "money.weights.settled=0.75",
        ])
        #expect(policy.values[2].source == "苏财预〔2025〕1号 第三条")
    }

    @Test func weightZeroFactorStaysListed() throws {
        let policy = try load(#"{"money": {"weights": {"settled": 1, "permits": 0}}}"#)
        #expect(policy.money.weights == [.settled: Rational(1), .permits: .zero])
    }

    @Test func acceptedEdgeValues() throws {
        let policy = try load(#"""
        {"money": {"bounds": {"floor_amount": "1000", "max_growth": -1, "min_retention": "0", "cap_per_settler": 0},
                   "coefficient_columns": ["财力系数", "Stability_Coef "], "prior_decay": []},
         "land": {"unit": " HA ", "decimals": "6.0", "adjustment": "-0.10", "permit_weight": "0.5",
                  "tiers": [{"up_to": "0", "standard": "0"}, {"up_to": null, "standard": "1e2"}]}}
        """#)
        #expect(policy.money.bounds == MoneyBounds(floorAmount: Rational(1000), maxGrowth: Rational(-1),
                                                  minRetention: .zero, capPerSettler: .zero))
        #expect(policy.money.coefficientColumns == ["fiscal_coef", "stability_coef"])
        #expect(policy.money.priorDecay == [])
        #expect(policy.land == LandPolicy(unit: .hectare, decimals: 6,
                                          tiers: [LandTier(upTo: .zero, standard: .zero),
                                                  LandTier(upTo: nil, standard: Rational(100))],
                                          adjustment: Rational(-1, 10), permitWeight: Rational(1, 2)))
        #expect(policy.values.first(where: { $0.path == "money.prior_decay" })?.text == "[]")
    }

    // MARK: Labels

    @Test func labels() throws {
        #expect(try load(#"{"name": " 江苏省2025年奖励资金 "}"#).label == "江苏省2025年奖励资金")
        #expect(try load(#"{"name": " 江苏省2025年奖励资金 "}"#).name == "江苏省2025年奖励资金")
        let unnamed = try load("{}", file: "policies/jiangsu.json")
        #expect(unnamed.label == "policy file jiangsu.json")
        #expect(unnamed.name == "policy file jiangsu.json")
        #expect(!unnamed.isIllustrative)
        #expect(unnamed.values.first == PolicyValue(path: "name", text: "policy file jiangsu.json", source: nil))
        let overridden = try load(nil, ["money.weights.settled=0.7", "money.weights.permits=0.3"])
        #expect(overridden.label
            == "illustrative default + --set money.weights.settled=0.7 --set money.weights.permits=0.3")
        #expect(overridden.isIllustrative)
        #expect(overridden.name == "illustrative default")
        let both = try load(#"{"name": "A"}"#, ["name=B"])
        #expect(both.label == "A + --set name=B")
        #expect(both.name == "B")
    }

    // MARK: File errors

    struct BadPolicy: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var line: Int
        var column: String
        var value: String?
        var problem: String
        var testDescription: String { name }

        init(_ name: String, _ json: String, _ line: Int, _ column: String, _ value: String?, _ problem: String) {
            self.name = name
            self.json = json
            self.line = line
            self.column = column
            self.value = value
            self.problem = problem
        }
    }

    static let badPolicies: [BadPolicy] = [
        BadPolicy("top level is a list", "[1]", 1, "1", "[1]", "is a list, but a policy file must be a JSON object"),
        BadPolicy("unknown top-level key", #"{"mony": {}}"#, 1, "2 (mony)", "mony", "is not a policy key"),
        BadPolicy("unknown money key", "{\"money\": {\n  \"weight\": 1}}", 2, "3 (money.weight)", "weight",
                  "is not a key of money"),
        // Any column may be a factor (contract §10.1), but not one §2.1 gives another meaning.
        BadPolicy("weight on a non-factor column", #"{"money": {"weights": {"settled": 1, "land_per_capita": 0}}}"#, 1,
                  "38 (money.weights.land_per_capita)", "land_per_capita",
                  "names the column land_per_capita of the settlement table, which is not a factor"),
        BadPolicy("weights sum", #"{"money": {"weights": {"settled": "0.7", "permits": "0.2"}}}"#, 1,
                  "23 (money.weights)", #"{"settled":"0.7","permits":"0.2"}"#,
                  "makes the factor weights add up to 0.9 (settled 0.7 + permits 0.2), not exactly 1"),
        BadPolicy("empty weights", #"{"money": {"weights": {}}}"#, 1, "23 (money.weights)", "{}",
                  "makes the factor weights add up to 0 (no weights), not exactly 1"),
        BadPolicy("negative weight", #"{"money": {"weights": {"settled": 1.5, "permits": -0.5}}}"#, 1,
                  "51 (money.weights.permits)", "-0.5", "is negative"),
        BadPolicy("granularity below a fen", #"{"money": {"granularity": "0.001"}}"#, 1,
                  "27 (money.granularity)", "0.001", "is not a positive whole number of fen"),
        BadPolicy("granularity zero", #"{"money": {"granularity": 0}}"#, 1,
                  "27 (money.granularity)", "0", "is not a positive whole number of fen"),
        BadPolicy("granularity text", #"{"money": {"granularity": "1,000"}}"#, 1,
                  "27 (money.granularity)", "1,000", "is not a number"),
        BadPolicy("granularity true", #"{"money": {"granularity": true}}"#, 1,
                  "27 (money.granularity)", "true", "is true, not a number"),
        BadPolicy("number too long", #"{"money": {"granularity": "1\#(String(repeating: "0", count: 100))"}}"#, 1,
                  "27 (money.granularity)", "1" + String(repeating: "0", count: 100), "is too long or too large a number"),
        BadPolicy("exponent too large", #"{"money": {"granularity": 1e101}}"#, 1,
                  "27 (money.granularity)", "1e101", "is too long or too large a number"),
        BadPolicy("negative origin coefficient", #"{"money": {"origin_coefficients": {"within_city": "-0.8"}}}"#, 1,
                  "51 (money.origin_coefficients.within_city)", "-0.8", "is negative"),
        BadPolicy("unknown origin", #"{"money": {"origin_coefficients": {"abroad": 2}}}"#, 1,
                  "36 (money.origin_coefficients.abroad)", "abroad", "is not a key of money.origin_coefficients"),
        BadPolicy("negative decay", "{\"money\": {\"prior_decay\": [\n  \"0.8\",\n  \"-0.6\"]}}", 3,
                  "3 (money.prior_decay[2])", "-0.6", "is negative"),
        BadPolicy("decay not a list", #"{"money": {"prior_decay": "0.8"}}"#, 1,
                  "27 (money.prior_decay)", "0.8", "is a string, not a list"),
        BadPolicy("floor negative", #"{"money": {"bounds": {"floor_amount": -1}}}"#, 1,
                  "39 (money.bounds.floor_amount)", "-1", "is negative"),
        BadPolicy("max growth below -1", #"{"money": {"bounds": {"max_growth": "-1.5"}}}"#, 1,
                  "37 (money.bounds.max_growth)", "-1.5", "is less than -1"),
        BadPolicy("min retention negative", #"{"money": {"bounds": {"min_retention": "-0.1"}}}"#, 1,
                  "40 (money.bounds.min_retention)", "-0.1", "is negative"),
        BadPolicy("cap negative", #"{"money": {"bounds": {"cap_per_settler": -5}}}"#, 1,
                  "42 (money.bounds.cap_per_settler)", "-5", "is negative"),
        BadPolicy("unknown bound", #"{"money": {"bounds": {"ceiling": 5}}}"#, 1,
                  "23 (money.bounds.ceiling)", "ceiling", "is not a key of money.bounds"),
        BadPolicy("count column as coefficient", #"{"money": {"coefficient_columns": ["跨省落户人数"]}}"#, 1,
                  "36 (money.coefficient_columns[1])", "跨省落户人数",
                  "names the count column cross_province of the settlement table, which is not a coefficient"),
        BadPolicy("amount column as coefficient", #"{"money": {"coefficient_columns": ["fiscal_coef", "上年金额"]}}"#, 1,
                  "51 (money.coefficient_columns[2])", "上年金额",
                  "names the amount column prev_amount of the settlement table, which is not a coefficient"),
        BadPolicy("code column as coefficient", #"{"money": {"coefficient_columns": ["code"]}}"#, 1,
                  "36 (money.coefficient_columns[1])", "code",
                  "names the column code of the settlement table, which is not a coefficient"),
        BadPolicy("prior column as coefficient", #"{"money": {"coefficient_columns": ["prior_2"]}}"#, 1,
                  "36 (money.coefficient_columns[1])", "prior_2",
                  "names the count column prior_2 of the settlement table, which is not a coefficient"),
        BadPolicy("repeated coefficient", #"{"money": {"coefficient_columns": ["财力系数", "FISCAL_COEF"]}}"#, 1,
                  "44 (money.coefficient_columns[2])", "FISCAL_COEF",
                  "repeats the coefficient column fiscal_coef (already item 1)"),
        BadPolicy("blank coefficient", #"{"money": {"coefficient_columns": [" "]}}"#, 1,
                  "36 (money.coefficient_columns[1])", " ", "is an empty column name"),
        BadPolicy("coefficient not text", #"{"money": {"coefficient_columns": [1]}}"#, 1,
                  "36 (money.coefficient_columns[1])", "1", "is a number, not a string"),
        BadPolicy("unknown unit", #"{"land": {"unit": "acre"}}"#, 1, "19 (land.unit)", "acre", "is not a land unit"),
        BadPolicy("decimals too many", #"{"land": {"decimals": 7}}"#, 1, "23 (land.decimals)", "7",
                  "is not a whole number from 0 to 6"),
        BadPolicy("decimals fractional", #"{"land": {"decimals": "2.5"}}"#, 1, "23 (land.decimals)", "2.5",
                  "is not a whole number from 0 to 6"),
        BadPolicy("decimals negative", #"{"land": {"decimals": -1}}"#, 1, "23 (land.decimals)", "-1",
                  "is not a whole number from 0 to 6"),
        BadPolicy("middle tier without up_to", "{\"land\": {\"tiers\": [\n  {\"standard\": 100},\n  {\"standard\": 50}]}}",
                  2, "3 (land.tiers[1])", #"{"standard":100}"#, "has no up_to, but only the last tier may leave it out"),
        BadPolicy("tier without standard", #"{"land": {"tiers": [{"up_to": 100}]}}"#, 1, "21 (land.tiers[1])", nil,
                  "has no standard"),
        BadPolicy("negative standard", #"{"land": {"tiers": [{"standard": "-50"}]}}"#, 1,
                  "34 (land.tiers[1].standard)", "-50", "is negative"),
        BadPolicy("negative up_to", #"{"land": {"tiers": [{"up_to": -1, "standard": 1}]}}"#, 1,
                  "31 (land.tiers[1].up_to)", "-1", "is negative"),
        BadPolicy("unknown tier key", #"{"land": {"tiers": [{"upto": 1, "standard": 1}]}}"#, 1,
                  "22 (land.tiers[1].upto)", "upto", "is not a key of land.tiers[1]"),
        BadPolicy("no tiers", #"{"land": {"tiers": []}}"#, 1, "20 (land.tiers)", "[]", "has no tiers"),
        BadPolicy("adjustment too large", #"{"land": {"adjustment": "0.11"}}"#, 1, "25 (land.adjustment)", "0.11",
                  "is outside ±0.10"),
        BadPolicy("adjustment too small", #"{"land": {"adjustment": -0.100001}}"#, 1, "25 (land.adjustment)",
                  "-0.100001", "is outside ±0.10"),
        BadPolicy("negative permit weight", #"{"land": {"permit_weight": "-1"}}"#, 1, "28 (land.permit_weight)", "-1",
                  "is negative"),
        BadPolicy("land not an object", #"{"land": "mu"}"#, 1, "10 (land)", "mu", "is a string, not an object"),
        BadPolicy("name not a string", #"{"name": 5}"#, 1, "10 (name)", "5", "is a number, not a string"),
        BadPolicy("blank name", #"{"name": " "}"#, 1, "10 (name)", " ", "is empty"),
        BadPolicy("source for unknown path", #"{"sources": {"money.weight": "x"}}"#, 1,
                  "14 (sources.money.weight)", "money.weight", "is not a policy path a source note can be attached to"),
        BadPolicy("source not text", #"{"sources": {"money.weights": 44}}"#, 1,
                  "31 (sources.money.weights)", "44", "is a number, but a source note must be a string"),
        BadPolicy("duplicate key", "{\"land\": {\"unit\": \"mu\",\n \"unit\": \"ha\"}}", 2, "2 (land.unit)", "unit",
                  "is a key given twice in one object: on line 1 (column 11) and again on line 2"),
        BadPolicy("syntax error", "{\"land\": {\"unit\": mu}}", 1, "19 (land.unit)", "mu", "is not valid JSON here"),
        BadPolicy("first of two problems", "{\"land\": {\"decimals\": 9},\n \"money\": {\"granularity\": 0}}", 1,
                  "23 (land.decimals)", "9", "is not a whole number from 0 to 6"),
    ]

    @Test(arguments: badPolicies)
    func rejectsPolicyFile(_ bad: BadPolicy) throws {
        let error = try #require(failure(bad.json))
        #expect(error.file == "p.json")
        #expect(error.line == bad.line)
        #expect(error.column == bad.column)
        #expect(error.value == bad.value)
        #expect(error.problem == bad.problem)
        #expect(error.accepted?.isEmpty == false)
    }

    @Test func unknownKeyListsTheValidKeys() throws {
        let error = try #require(failure(#"{"land": {"units": "mu"}}"#))
        #expect(error.accepted == "one of the keys unit, decimals, tiers, adjustment, permit_weight")
        #expect(error.description == #"p.json, line 1, column 11 (land.units): value "units" is not a key of land; "#
            + "expected one of the keys unit, decimals, tiers, adjustment, permit_weight")
    }

    @Test func invalidUTF8PolicyFile() throws {
        let error = try #require(
            PolicyLoader.problems(fileBytes: Array(#"{"name": ""#.utf8) + [0xB5, 0x22, 0x7D], file: "gbk.json",
                                  overrides: .set([])).first)
        #expect(error == InputError(file: "gbk.json", line: 1, column: "11 (name)", value: "\\xB5\\x22\\x7D",
                                    problem: "is not valid UTF-8",
                                    accepted: "a policy file saved as UTF-8 (JSON is always UTF-8)"))
    }

    @Test func deepNestingInAPolicyFileIsAnError() throws {
        let json = "{\"sources\": " + String(repeating: "[", count: 10_000)
        let error = try #require(failure(json))
        #expect(error.problem == "nests objects and lists more than 64 levels deep")
        #expect(error.line == 1)
    }

    @Test func problemsListsEveryProblemInFileOrder() {
        let json = "{\"land\": {\"decimals\": 9, \"unit\": \"acre\"},\n \"money\": {\"granularity\": 0}, \"x\": 1}"
        let problems = PolicyLoader.problems(fileBytes: Array(json.utf8), file: "p.json",
                                             overrides: .set(["land.nope=1", "money.weights.settled=0.5"]))
        #expect(problems.map { "\($0.file ?? "-"):\($0.line.map(String.init) ?? "-"):\($0.column ?? "-")" } == [
            "p.json:1:23 (land.decimals)", "p.json:1:34 (land.unit)", "p.json:2:27 (money.granularity)",
            "p.json:2:31 (x)", "--set:-:land.nope", "--set:-:money.weights.settled",
        ])
        #expect(PolicyLoader.problems(fileBytes: nil, file: nil, overrides: .set([])) == [])
    }

    // MARK: --set

    @Test func setNumbersStringsAndNull() throws {
        let policy = try load(nil, ["money.granularity=1", "land.unit=公顷", "name=试算",
                                    "money.bounds.max_growth=0.1", "money.bounds.max_growth=null",
                                    "money.bounds.cap_per_settler=\"2000\""])
        #expect(policy.money.granularityFen == 100)
        #expect(policy.land.unit == .hectare)
        #expect(policy.name == "试算")
        #expect(policy.money.bounds.maxGrowth == nil)
        #expect(policy.money.bounds.capPerSettler == Rational(2000))
        #expect(policy.values.first(where: { $0.path == "land.unit" }) ==
            PolicyValue(path: "land.unit", text: "公顷", source: nil))
    }

    @Test func setWeightsOneByOneThenValidatesTheWhole() throws {
        let policy = try load(nil, ["money.weights.settled=0.7", "money.weights.permits=0.3"])
        #expect(policy.money.weights == [.settled: Rational(7, 10), .permits: Rational(3, 10)])
        #expect(policy.source(for: "money.weights.settled") == nil)
        #expect(policy.source(for: "money.granularity") != nil)
        let error = try #require(failure(nil, ["money.weights.settled=0.7"]))
        #expect(error == InputError(
            file: "--set", column: "money.weights.settled", value: "0.7",
            problem: "makes the factor weights add up to 0.9 (settled 0.7 + permits 0.2), not exactly 1",
            accepted: "weights for settled and permits, each ≥ 0, that add up to exactly 1, "
                + "e.g. {\"settled\": \"0.8\", \"permits\": \"0.2\"}"))
    }

    @Test func setObjectReplacesTheObject() throws {
        let policy = try load(nil, [#"money.weights={"settled": "1"}"#])
        #expect(policy.money.weights == [.settled: Rational(1)])
        let bounds = try load(nil, [#"money.bounds={"max_growth": 0.2}"#])
        #expect(bounds.money.bounds == MoneyBounds(floorAmount: .zero, maxGrowth: Rational(1, 5)))
        let error = try #require(failure(nil, [#"money.origin_coefficients={"cross_province": 1.5}"#]))
        #expect(error.file == "--set")
        #expect(error.line == nil)
        #expect(error.column == "money.origin_coefficients")
        #expect(error.value == #"{"cross_province": 1.5}"#)
        #expect(error.problem == "has no within_province")
        let inner = try #require(failure(nil, [#"money.weights={"settled": 1, "code": 0}"#]))
        #expect(inner.column == "money.weights.code")
        #expect(inner.problem == "names the column code of the settlement table, which is not a factor")
        // Any other key is a factor (contract §10.1); weight 0 skips it.
        let open = try load(nil, [#"money.weights={"settled": 1, "permit": 0}"#])
        #expect(open.money.weights == [.settled: Rational(1), Factor(key: "permit"): .zero])
    }

    @Test func setListsAndListItems() throws {
        let policy = try load(nil, [#"money.prior_decay=["0.5", 0.25]"#, "land.tiers[2].standard=85",
                                    "land.tiers[3].up_to=300"])
        #expect(policy.money.priorDecay == [Rational(1, 2), Rational(1, 4)])
        #expect(policy.land.tiers.map(\.standard) == [Rational(100), Rational(85), Rational(50)])
        #expect(policy.land.tiers[2].upTo == Rational(300))
        #expect(policy.source(for: "land.tiers[1].standard") == nil)
        let error = try #require(failure(nil, ["land.tiers[4].standard=10"]))
        #expect(error == InputError(file: "--set", column: "land.tiers[4].standard", value: "10",
                                    problem: "cannot be set: land.tiers has 3 items, so there is no item 4",
                                    accepted: "a path that exists in the policy; list items are numbered from 1"))
    }

    @Test func setAfterAFile() throws {
        let policy = try load(#"{"name": "省级", "money": {"weights": {"settled": "1"}}}"#,
                              ["money.weights.settled=0.6", "money.weights.permits=0.4"])
        #expect(policy.money.weights == [.settled: Rational(3, 5), .permits: Rational(2, 5)])
        #expect(policy.label == "省级 + --set money.weights.settled=0.6 --set money.weights.permits=0.4")
        #expect(!policy.isIllustrative)
    }

    @Test func setSourceNotes() throws {
        let policy = try load(nil, ["money.weights.settled=0.7", "money.weights.permits=0.3",
                                    "sources.money.weights.settled=苏财预〔2025〕1号 第3条",
                                    #"sources.land="自然资源厅 2025""#])
        #expect(policy.sources["money.weights.settled"] == "苏财预〔2025〕1号 第3条")
        #expect(policy.source(for: "money.weights.settled") == "苏财预〔2025〕1号 第3条")
        #expect(policy.source(for: "money.weights.permits") == nil)
        #expect(policy.sources["land"] == "自然资源厅 2025")
        #expect(policy.source(for: "land.tiers[1].up_to") == Policy.builtInDefault.sources["land.tiers"])
        let number = try #require(failure(nil, ["sources.money.granularity=44"]))
        #expect(number == InputError(file: "--set", column: "sources.money.granularity", value: "44",
                                     problem: "is a number, but a source note must be a string",
                                     accepted: "the note as text, e.g. \"国发〔2016〕44号\""))
        let unknown = try #require(failure(nil, ["sources.money.fund=x"]))
        #expect(unknown.column == "sources.money.fund")
        #expect(unknown.problem == "is not a policy path a source note can be attached to")
    }

    @Test func aNoteStopsApplyingWhenALaterLayerChangesItsValue() throws {
        let json = #"""
        {"money": {"weights": {"settled": "0.75", "permits": "0.25"}, "granularity": "1"},
         "sources": {"money.weights.settled": "苏财预〔2025〕1号 第三条", "money.granularity": "苏财预〔2025〕1号 第五条",
                     "money.weights": "苏财预〔2025〕1号"}}
        """#
        let policy = try load(json, ["sources.money.weights.permits=试算", "money.weights.settled=0.7",
                                     "money.weights.permits=0.3"])
        // Built-in notes for the name (the file's basename now) and the changed values go; the
        // file's notes for values --set changed go; the --set note stays although given first.
        var expected = Policy.builtInDefault.sources
        for key in ["name", "money.weights.settled", "money.weights.permits"] { expected[key] = nil }
        expected["money.granularity"] = "苏财预〔2025〕1号 第五条"
        expected["money.weights.permits"] = "试算"
        #expect(policy.sources == expected)
        #expect(policy.source(for: "money.weights.settled") == nil)
        #expect(policy.source(for: "money.weights.permits") == "试算")
        #expect(policy.source(for: "money.granularity") == "苏财预〔2025〕1号 第五条")
        let untouched = try load(json)
        #expect(untouched.source(for: "money.weights.settled") == "苏财预〔2025〕1号 第三条")
        #expect(untouched.source(for: "money.weights.permits") == "苏财预〔2025〕1号")
    }

    @Test func defaultNoteForARemovedValueGoes() throws {
        let policy = try load(#"{"money": {"weights": {"settled": 1}}}"#)
        #expect(policy.sources["money.weights.permits"] == nil)
        #expect(policy.sources["money.weights.settled"] == nil)
        #expect(policy.sources["money.prior_decay"] == Policy.builtInDefault.sources["money.prior_decay"])
    }

    @Test func setValueThatLooksLikeBrokenJSONSaysSo() throws {
        let error = try #require(failure(nil, ["money.weights={settled:1}"]))
        #expect(error.file == "--set")
        #expect(error.column == "money.weights")
        #expect(error.value == "{settled:1}")
        #expect(error.problem == #"is not valid JSON (character 2: "settled" is not valid JSON here; "#
            + #"expected a key in double quotes, e.g. "money")"#)
        #expect(try load(nil, ["name=[试算] 方案A"]).name == "[试算] 方案A")
    }

    @Test func setRejectsUnknownPathsAndMalformedArguments() throws {
        let unknown = try #require(failure(nil, ["money.weights.settled=0.8", "money.weight.settled=0.7"]))
        #expect(unknown.file == "--set")
        #expect(unknown.column == "money.weight.settled")
        #expect(unknown.value == "0.7")
        #expect(unknown.problem == "is not a policy path --set can change")
        #expect(unknown.accepted?.hasPrefix("one of name, money, money.granularity, money.weights, "
            + "money.weights.settled, money.weights.permits, money.origin_coefficients, ") == true)
        #expect(unknown.accepted?.hasSuffix("; a list item as land.tiers[2].standard (numbered from 1); "
            + "a component's value as money.components.<name>.share; a source note as sources.<path>") == true)
        let noEquals = try #require(failure(nil, ["money.granularity"]))
        #expect(noEquals == InputError(file: "--set", value: "money.granularity",
                                       problem: "has no = between the path and the value",
                                       accepted: "--set PATH=VALUE, e.g. --set money.weights.settled=0.7"))
        #expect(try #require(failure(nil, [" =1"])).problem == "has nothing before the =")
        #expect(try #require(failure(nil, ["sources.=x"])).problem == "is not a policy path --set can change")
        #expect(try #require(failure(nil, ["land.tiers[0].standard=1"])).problem
            == "is not a policy path --set can change")
        let rejectedValue = try #require(failure(nil, ["land.adjustment=0.2"]))
        #expect(rejectedValue == InputError(file: "--set", column: "land.adjustment", value: "0.2",
                                            problem: "is outside ±0.10",
                                            accepted: "a fraction from -0.10 to 0.10 (a province may adjust the "
                                                + "standards by at most ±10%, 国土资发〔2016〕123号)"))
        #expect(try #require(failure(nil, ["land.unit=1,5"])).problem == "is not a land unit")
        #expect(try #require(failure(nil, ["land.unit=5"])).problem == "is a number, not a string")
    }

    @Test func splitOverrideAtTheFirstEquals() throws {
        let split = try PolicyLoader.splitOverride(" sources.name =a=b", name: "--set")
        #expect(split.path == "sources.name")
        #expect(split.value == "a=b")
    }

    @Test func validPathsInDocumentOrder() {
        #expect(PolicyLoader.validPaths == [
            "name", "money", "money.granularity", "money.weights", "money.weights.settled", "money.weights.permits",
            "money.origin_coefficients", "money.origin_coefficients.cross_province",
            "money.origin_coefficients.within_province", "money.origin_coefficients.within_city",
            "money.origin_coefficients.settled", "money.prior_decay", "money.coefficient_columns", "money.bounds",
            "money.bounds.floor_amount", "money.bounds.max_growth", "money.bounds.min_retention",
            "money.bounds.cap_per_settler", "money.components", "land", "land.unit", "land.decimals", "land.tiers", "land.adjustment",
            "land.permit_weight", "levels", "levels.retention", "levels.upper", "sources",
        ])
    }

    // MARK: Land units

    @Test(arguments: [
        ("mu", LandUnit.mu), ("亩", .mu), (" MU ", .mu), ("Hectare", .hectare), ("ha", .hectare), ("公顷", .hectare),
        ("m2", .m2), ("M2", .m2), ("m²", .m2), ("平方米", .m2), ("\u{3000}亩\u{3000}", .mu),
    ])
    func landUnitWords(word: String, unit: LandUnit) {
        #expect(LandUnit(word: word) == unit)
    }

    @Test func landUnitRejectsOtherWords() {
        #expect(LandUnit(word: "acre") == nil)
        #expect(LandUnit(word: "") == nil)
        #expect(LandUnit(word: "m") == nil)
    }

    @Test func landUnitSizesAndNames() {
        #expect(LandUnit.allCases.map(\.squareMetres) == [Rational(2000, 3), Rational(10_000), Rational(1)])
        #expect(LandUnit.allCases.map(\.chineseName) == ["亩", "公顷", "平方米"])
        #expect(LandUnit.allCases.map(\.rawValue) == ["mu", "hectare", "m2"])
    }

    @Test func enumOrders() {
        #expect([Factor(key: "b"), Factor(key: "a"), .permits, .settled].sorted().map(\.key) == ["settled", "permits", "a", "b"])
        #expect(OriginKind.allCases.map(\.rawValue) == ["cross_province", "within_province", "within_city", "settled"])
    }
}
