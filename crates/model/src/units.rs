//! Units of measurement, their dimensions and conversions.
//!
//! Every amount in a product model carries a unit. Linking an input to a process or a
//! dataset converts the amount into the unit the provider is expressed in; units of
//! different dimensions never convert, and the error says which two met.

use std::fmt;

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    Mass,
    Energy,
    Volume,
    Area,
    Length,
    Count,
    Time,
    Power,
    /// Goods transport: mass × distance (t·km).
    FreightTransport,
    /// Passenger transport: persons × distance (p·km).
    PassengerTransport,
}

impl Dimension {
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Mass => "mass",
            Dimension::Energy => "energy",
            Dimension::Volume => "volume",
            Dimension::Area => "area",
            Dimension::Length => "length",
            Dimension::Count => "count",
            Dimension::Time => "time",
            Dimension::Power => "power",
            Dimension::FreightTransport => "freight transport (mass × distance)",
            Dimension::PassengerTransport => "passenger transport (persons × distance)",
        }
    }
}

/// A unit with its dimension and its size in the dimension's base unit
/// (kg, MJ, m³, m², m, item, s, W, t·km, p·km).
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub symbol: &'static str,
    pub dimension: Dimension,
    pub to_base: f64,
}

use Dimension::*;

/// (symbols accepted, canonical symbol, dimension, size in base unit).
const UNITS: &[(&[&str], &str, Dimension, f64)] = &[
    (&["kg", "kilogram", "公斤", "千克"], "kg", Mass, 1.0),
    (&["g", "gram", "克"], "g", Mass, 1e-3),
    (&["mg"], "mg", Mass, 1e-6),
    (&["t", "tonne", "ton", "metric ton", "吨"], "t", Mass, 1e3),
    (&["kt"], "kt", Mass, 1e6),
    (&["Mt"], "Mt", Mass, 1e9),
    (&["Gg"], "Gg", Mass, 1e6),
    (&["lb"], "lb", Mass, 0.453_592_37),
    (&["J"], "J", Energy, 1e-6),
    (&["kJ"], "kJ", Energy, 1e-3),
    (&["MJ"], "MJ", Energy, 1.0),
    (&["GJ"], "GJ", Energy, 1e3),
    (&["TJ"], "TJ", Energy, 1e6),
    (&["Wh"], "Wh", Energy, 3.6e-3),
    (&["kWh", "度"], "kWh", Energy, 3.6),
    (&["MWh"], "MWh", Energy, 3.6e3),
    (&["GWh"], "GWh", Energy, 3.6e6),
    (&["kcal"], "kcal", Energy, 4.1868e-3),
    (&["Btu", "BTU"], "Btu", Energy, 1.055_055_852_62e-3),
    (&["mmBtu", "MMBtu"], "mmBtu", Energy, 1_055.055_852_62),
    (
        &["m3", "m³", "cubic metre", "cubic meter"],
        "m3",
        Volume,
        1.0,
    ),
    // A normal cubic metre is a quantity of gas at reference conditions; it is kept
    // convertible with m³ because factors for gas are quoted per Nm³ as per m³.
    (&["Nm3", "Nm³"], "Nm3", Volume, 1.0),
    (&["L", "l", "litre", "liter", "升"], "L", Volume, 1e-3),
    (&["mL", "ml"], "mL", Volume, 1e-6),
    (&["dm3"], "dm3", Volume, 1e-3),
    (
        &["m2", "m²", "square metre", "square meter"],
        "m2",
        Area,
        1.0,
    ),
    (&["cm2", "cm²"], "cm2", Area, 1e-4),
    (&["ha", "hectare"], "ha", Area, 1e4),
    (&["km2", "km²"], "km2", Area, 1e6),
    (&["m", "metre", "meter", "米"], "m", Length, 1.0),
    (&["km", "kilometre", "kilometer", "公里"], "km", Length, 1e3),
    (&["cm"], "cm", Length, 1e-2),
    (&["mm"], "mm", Length, 1e-3),
    (
        &[
            "piece", "pieces", "pc", "pcs", "item", "items", "unit", "units", "p", "个", "件",
        ],
        "piece",
        Count,
        1.0,
    ),
    (&["s", "second"], "s", Time, 1.0),
    (&["min", "minute"], "min", Time, 60.0),
    (&["h", "hour", "hr", "小时"], "h", Time, 3600.0),
    (&["d", "day"], "d", Time, 86_400.0),
    (&["a", "year", "yr"], "a", Time, 31_557_600.0),
    (&["W", "Wp"], "W", Power, 1.0),
    (&["kW", "kWp"], "kW", Power, 1e3),
    (&["MW", "MWp"], "MW", Power, 1e6),
    (
        &["t*km", "tkm", "t km", "tonne*km"],
        "t*km",
        FreightTransport,
        1.0,
    ),
    (&["kg*km", "kgkm"], "kg*km", FreightTransport, 1e-3),
    (
        &["p*km", "pkm", "person*km", "passenger*km"],
        "p*km",
        PassengerTransport,
        1.0,
    ),
];

/// Symbols whose case carries meaning (`Mt` is a megatonne, `mt` is not a unit here).
const CASE_SENSITIVE: &[&str] = &["Mt", "mg", "Gg", "mL", "MW", "MWh", "mmBtu"];

impl Unit {
    /// Parses a unit symbol as practitioners write it (`kWh`, `t·km`, `m³`, `吨`).
    pub fn parse(symbol: &str) -> Result<Unit, String> {
        let s: String = symbol.trim().replace(['·', '×', '⋅'], "*");
        let compact: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let no_space = compact
            .replace(" * ", "*")
            .replace("* ", "*")
            .replace(" *", "*");
        for cand in [compact.as_str(), no_space.as_str()] {
            if let Some((_, canon, dim, f)) = UNITS.iter().find(|(names, ..)| names.contains(&cand))
            {
                return Ok(Unit {
                    symbol: canon,
                    dimension: *dim,
                    to_base: *f,
                });
            }
        }
        // Case-insensitive fallback only where it is unambiguous (not `Mt`/`mt`, `MW`/`mW`).
        let lower = no_space.to_lowercase();
        let matches: Vec<_> = UNITS
            .iter()
            .filter(|(_, canon, ..)| !CASE_SENSITIVE.contains(canon))
            .filter(|(names, ..)| names.iter().any(|n| n.to_lowercase() == lower))
            .collect();
        if let [(_, canon, dim, f)] = matches.as_slice() {
            return Ok(Unit {
                symbol: canon,
                dimension: *dim,
                to_base: *f,
            });
        }
        Err(format!("unknown unit '{}'", symbol.trim()))
    }

    /// The factor that turns an amount in `self` into an amount in `to`.
    pub fn factor_to(&self, to: &Unit) -> Result<f64, String> {
        if self.dimension != to.dimension {
            return Err(format!(
                "cannot convert {} ({}) to {} ({})",
                self.symbol,
                self.dimension.as_str(),
                to.symbol,
                to.dimension.as_str()
            ));
        }
        Ok(self.to_base / to.to_base)
    }
}

/// Converts `amount` from unit `from` to unit `to`, both given as symbols.
pub fn convert(amount: f64, from: &str, to: &str) -> Result<f64, String> {
    Ok(amount * Unit::parse(from)?.factor_to(&Unit::parse(to)?)?)
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Each expected value below is worked by hand from the SI definitions.
    #[test]
    fn converts_within_a_dimension() {
        // 1 kWh = 1000 W × 3600 s = 3.6e6 J = 3.6 MJ
        assert!((convert(1.0, "kWh", "MJ").unwrap() - 3.6).abs() < 1e-12);
        // 2.5 t = 2500 kg
        assert!((convert(2.5, "t", "kg").unwrap() - 2500.0).abs() < 1e-9);
        // 750 L = 0.75 m³
        assert!((convert(750.0, "L", "m3").unwrap() - 0.75).abs() < 1e-12);
        // 400 kg·km = 0.4 t·km
        assert!((convert(400.0, "kg*km", "t·km").unwrap() - 0.4).abs() < 1e-12);
        // 1 GJ = 1000/3.6 kWh = 277.777… kWh
        assert!((convert(1.0, "GJ", "kWh").unwrap() - 277.777_777_777_777_8).abs() < 1e-9);
        // 1 ha = 10 000 m²
        assert_eq!(convert(1.0, "ha", "m2").unwrap(), 10_000.0);
        // 3 h = 10 800 s; 1 kWp = 1000 W
        assert_eq!(convert(3.0, "h", "s").unwrap(), 10_800.0);
        assert_eq!(convert(1.0, "kWp", "W").unwrap(), 1000.0);
        assert_eq!(convert(5.0, "pcs", "piece").unwrap(), 5.0);
    }

    #[test]
    fn refuses_across_dimensions_and_names_both() {
        let e = convert(1.0, "kg", "kWh").unwrap_err();
        assert!(e.contains("kg (mass)") && e.contains("kWh (energy)"), "{e}");
        assert_eq!(
            convert(1.0, "kg", "furlong").unwrap_err(),
            "unknown unit 'furlong'"
        );
    }

    #[test]
    fn case_fallback_is_only_for_unambiguous_symbols() {
        assert_eq!(Unit::parse("KWH").unwrap().symbol, "kWh");
        assert_eq!(Unit::parse("Mt").unwrap().to_base, 1e9);
        assert!(
            Unit::parse("mt").is_err(),
            "mt is ambiguous (Mt or mt?) and must not guess"
        );
    }
}
