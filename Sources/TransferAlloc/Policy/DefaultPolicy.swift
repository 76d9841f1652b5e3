/// The built-in illustrative policy: the JSON of contract §2.3 with a source note for every
/// value.
///
/// The numbers that a document fixes (the land tiers 100/80/50 m² at 100 and 150 m², the ±10%
/// room for provincial adjustment) cite it; the weights, coefficients and decays are
/// illustrative values chosen to exercise every factor, and their notes say so. Every output
/// that shows them labels the policy "illustrative default".
enum DefaultPolicy {
    static let moneyMethod = "国发〔2016〕44号《国务院关于实施支持农业转移人口市民化若干财政政策的通知》"
    static let landMethod = "国土资发〔2016〕123号《关于建立城镇建设用地增加规模同吸纳农业转移人口落户数量挂钩机制的实施意见》"
    static let notFromDocument = "an illustrative value, not taken from a document"

    /// Source notes by dotted path, in document order.
    static let notes: [(String, String)] = [
        ("name", "Built-in illustrative policy for trying the tool; give a policy file with the province's "
            + "own values and their sources for real allocations."),
        ("money.granularity", "Amounts are allocated in whole fen (0.01 元), the finest unit of payment; "
            + "\(notFromDocument)."),
        ("money.weights.settled", "Factor method (因素法) linking the transfer to the number of agricultural "
            + "migrants who actually settle: \(moneyMethod) (建立农业转移人口市民化奖励机制). "
            + "The weight 0.8 is \(notFromDocument)."),
        ("money.weights.permits", "Factor method (因素法) counting residence-permit holders served with basic "
            + "public services: \(moneyMethod). The weight 0.2 is \(notFromDocument)."),
        ("money.origin_coefficients.cross_province", "Settlers from another province weigh more under the "
            + "factor method of \(moneyMethod); the coefficient 1.2 is \(notFromDocument)."),
        ("money.origin_coefficients.within_province", "Settlers from another prefecture of the province; "
            + "the coefficient 1.0 is \(notFromDocument)."),
        ("money.origin_coefficients.within_city", "Settlers from the same prefecture; the coefficient 0.8 "
            + "is \(notFromDocument)."),
        ("money.origin_coefficients.settled", "Settlers whose origin the table does not split; the "
            + "coefficient 1.0 is \(notFromDocument)."),
        ("money.prior_decay", "Phase-out (退坡) of earlier years' settlers, 0.8, 0.6, 0.4, 0.2 for years "
            + "Y−1 to Y−4: illustrative values, not taken from a document."),
        ("money.coefficient_columns", "Fiscal-difficulty coefficient (财力系数) multiplied into every factor, "
            + "as factor-method transfers under \(moneyMethod) commonly do; which coefficients apply is "
            + "illustrative, not taken from a document."),
        ("money.bounds.floor_amount", "No floor (保底 0 元): \(notFromDocument)."),
        ("money.bounds.max_growth", "No cap on growth over last year's amount: \(notFromDocument)."),
        ("money.bounds.min_retention", "No minimum share of last year's amount: \(notFromDocument)."),
        ("money.bounds.cap_per_settler", "No cap per current-year settler: \(notFromDocument)."),
        ("land.unit", "Quotas in 亩 (1 亩 = 2000/3 m²), as provincial land plans usually count them; a "
            + "presentation choice, not taken from a document."),
        ("land.decimals", "Quotas to 0.01 亩: \(notFromDocument)."),
        ("land.tiers", "\(landMethod): where current per-capita urban construction land is at most 100 m², "
            + "new urban construction land is arranged at 100 m² per settled person; above 100 up to 150 m², "
            + "80 m²; above 150 m², 50 m²; central districts of megacities (超大和特大城市中心城区) in principle "
            + "none (see land_exempt)."),
        ("land.adjustment", "\(landMethod) lets a province adjust the per-capita standards by at most ±10%; "
            + "0 (no adjustment) is \(notFromDocument)."),
        ("land.permit_weight", "Residence-permit holders do not count for land (0): \(notFromDocument)."),
    ]

    /// The default as JSON text, exactly the document of contract §2.3 apart from `sources`.
    static let json: String = {
        var sources = ""
        for (index, (path, note)) in notes.enumerated() {
            var key = ""
            JSONValue.writeString(path, to: &key)
            var text = ""
            JSONValue.writeString(note, to: &text)
            sources += (index == 0 ? "\n    " : ",\n    ") + key + ": " + text
        }
        return """
        {
          "name": "illustrative default",
          "money": {
            "granularity": "0.01",
            "weights": {"settled": "0.8", "permits": "0.2"},
            "origin_coefficients": {"cross_province": "1.2", "within_province": "1.0", "within_city": "0.8", "settled": "1.0"},
            "prior_decay": ["0.8", "0.6", "0.4", "0.2"],
            "coefficient_columns": ["fiscal_coef"],
            "bounds": {"floor_amount": "0", "max_growth": null, "min_retention": null, "cap_per_settler": null}
          },
          "land": {
            "unit": "mu", "decimals": 2,
            "tiers": [{"up_to": "100", "standard": "100"}, {"up_to": "150", "standard": "80"}, {"standard": "50"}],
            "adjustment": "0", "permit_weight": "0"
          },
          "sources": {\(sources)
          }
        }
        """
    }()

    /// The pseudo-file name errors in the default would carry (they cannot happen: tests load it).
    static let fileName = "policy (built-in)"

    static let policy: Policy = {
        do {
            return try PolicyLoader.load(fileBytes: nil, file: nil, overrides: [])
        } catch {
            fatalError("built-in default policy is invalid: \(error)")
        }
    }()
}
