//! The tabular LCI layout: loading, writing back, computing, and every kind of bad input.

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use zuji_calc::lci::LciSystem;
use zuji_formats::tabular::{
    TabularError, read_tabular, read_tabular_from_strings, read_tabular_zip, write_tabular,
    write_tabular_zip,
};
use zuji_model::gas::{Gas, Origin};
use zuji_model::lci::ExchangeKind;
use zuji_model::uncertainty::Uncertainty;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs())
}

/// Every score of the 400-activity synthetic database agrees with SciPy's (see
/// tests/data/synth400/README.md) to 1e-9 relative.
#[test]
fn synth400_scores_match_scipy() {
    let dir = data("synth400");
    let db = read_tabular(&dir).expect("loads");
    assert_eq!(db.activities.len(), 400);
    assert_eq!(db.flows.len(), 60);
    let lci = LciSystem::build(&db)
        .expect("builds")
        .factorise()
        .expect("regular");
    let scores = lci.scores_all("SYNTH").expect("method");

    let mut expected =
        csv::Reader::from_path(dir.join("expected_scores.csv")).expect("expected file");
    let mut n = 0;
    for row in expected.records() {
        let row = row.expect("csv row");
        let j = db.activity_position(&row[0]).expect("known id");
        let want: f64 = row[1].parse().expect("number");
        assert!(want > 0.0);
        assert!(
            close(scores[j], want, 1e-9),
            "{}: zuji {} scipy {want}",
            &row[0],
            scores[j]
        );
        n += 1;
    }
    assert_eq!(n, 400);

    // One activity by a forward solve gives the same score as the transposed solve.
    for j in [0, 7, 123, 399] {
        let one = lci.score_one(j, "SYNTH").expect("method");
        assert!(close(one.score, scores[j], 1e-12), "{j}");
    }
}

#[test]
fn full_layout_reads_every_optional_column() {
    let db = read_tabular(&data("full")).expect("loads");
    assert_eq!(db.meta.id, "zuji-test-full");
    assert_eq!(db.meta.version, "1.2.0");
    assert_eq!(db.meta.licence.as_deref(), Some("CC0-1.0"));
    let elec = &db.activities[0];
    assert_eq!(elec.name, "electricity, grid mix");
    assert_eq!(elec.name_zh.as_deref(), Some("电网电力"));
    assert_eq!(elec.year.as_deref(), Some("2022"));
    assert_eq!(
        elec.comment.as_deref(),
        Some("national average, incl. losses")
    );
    assert_eq!(elec.status, None);
    assert_eq!(db.activities[1].status.as_deref(), Some("illustrative"));
    assert_eq!(db.flows[0].gas, Some(Gas::Co2));
    assert_eq!(db.flows[1].origin, Some(Origin::Biogenic));
    assert_eq!(db.flows[2].gas, None);
    let e = &db.exchanges[1];
    assert_eq!(e.kind, ExchangeKind::Biosphere);
    assert!(
        matches!(e.uncertainty, Uncertainty::Lognormal { gsd } if close(gsd, 0.1f64.exp(), 1e-15))
    );
    assert_eq!(
        db.exchanges[2].uncertainty,
        Uncertainty::Uniform {
            min: 0.001,
            max: 0.003
        }
    );
    assert_eq!(
        db.exchanges[4].uncertainty,
        Uncertainty::Triangular {
            min: 1.0,
            mode: Some(1.5),
            max: 2.5
        }
    );
    assert_eq!(db.method_names(), vec!["GWP100-AR6", "GWP100-AR5"]);

    // Electricity: 0.58 per kWh. Steel: 2 kg made from 1.5 + 0.5 kWh, 3.6 kg CO2 and
    // 0.01 kg CH4 → AR6 (3.6 + 0.27 + 2 × 0.58) / 2 = 2.515; AR5 (3.6 + 0.28 + 1.16) / 2 = 2.52.
    let lci = LciSystem::build(&db)
        .expect("builds")
        .factorise()
        .expect("regular");
    let ar6 = lci.scores_all("GWP100-AR6").expect("method");
    let ar5 = lci.scores_all("GWP100-AR5").expect("method");
    assert!(
        close(ar6[0], 0.58, 1e-14) && close(ar6[1], 2.515, 1e-14),
        "{ar6:?}"
    );
    assert!(close(ar5[1], 2.52, 1e-14), "{ar5:?}");
}

/// Reading, writing and reading again gives the same database, and writing it again
/// the same files.
#[test]
fn round_trip_is_lossless() {
    for name in ["full", "synth400"] {
        let db = read_tabular(&data(name)).expect("loads");
        let tmp = tempfile::tempdir().expect("temp dir");
        let first = tmp.path().join("first");
        write_tabular(&db, &first).expect("writes");
        let again = read_tabular(&first).expect("reads back");
        assert_eq!(again, db, "{name}");
        let second = tmp.path().join("second");
        write_tabular(&again, &second).expect("writes");
        for f in [
            "activities.csv",
            "flows.csv",
            "exchanges.csv",
            "characterization.csv",
            "database.toml",
        ] {
            let a = std::fs::read_to_string(first.join(f)).expect("file");
            let b = std::fs::read_to_string(second.join(f)).expect("file");
            assert_eq!(a, b, "{name}/{f}");
        }
    }
}

/// The zip form the platform stores gives back the same database, and the same bytes as
/// the folder form inside.
#[test]
fn zip_round_trip_is_lossless() {
    for name in ["full", "synth400"] {
        let db = read_tabular(&data(name)).expect("loads");
        let bytes = write_tabular_zip(&db).expect("zips");
        assert_eq!(
            read_tabular_zip(&bytes, "other").expect("unzips"),
            db,
            "{name}"
        );
    }
    let default = zuji_formats::default_db::default_database().expect("default");
    let bytes = write_tabular_zip(&default).expect("zips");
    let back = read_tabular_zip(&bytes, "x").expect("unzips");
    assert_eq!(back.meta.id, "zuji-default");
    assert_eq!(back, default);
}

#[test]
fn a_broken_zip_is_an_error_not_a_panic() {
    let err = read_tabular_zip(b"PK\x03\x04 not really", "x").unwrap_err();
    assert!(err.to_string().contains("zip"), "{err}");
}

#[test]
fn without_database_toml_the_folder_names_the_database() {
    let db = read_tabular(&data("synth400")).expect("loads");
    assert_eq!(db.meta.id, "synth400");
    assert_eq!(db.meta.version, "unversioned");
}

const ACT: &str = "id,name,unit,location\na,A,kg,CN\nb,B,kg,CN\n";
const FLOW: &str = "id,name,compartment,unit\nco2,CO2,air,kg\n";
const EXC: &str = "activity_id,kind,input_id,amount\na,production,a,1\nb,production,b,1\na,technosphere,b,0.5\nb,biosphere,co2,2\n";
const CHAR: &str = "method,flow_id,factor\nGWP,co2,1\n";

/// Reads with one table replaced and returns the error's message.
fn error_of(which: usize, text: &str) -> String {
    let mut t = [ACT, FLOW, EXC, CHAR];
    t[which] = text;
    match read_tabular_from_strings(t[0], t[1], t[2], t[3]) {
        Ok(_) => panic!("expected an error for {text:?}"),
        Err(e) => e.to_string(),
    }
}

fn assert_mentions(msg: &str, parts: &[&str]) {
    for p in parts {
        assert!(msg.contains(p), "'{msg}' should mention '{p}'");
    }
}

#[test]
fn the_good_strings_compute() {
    let db = read_tabular_from_strings(ACT, FLOW, EXC, CHAR).expect("valid");
    // b: 2 per unit; a: 0.5 × 2 = 1 per unit.
    let s = LciSystem::build(&db)
        .expect("builds")
        .factorise()
        .expect("regular")
        .scores_all("GWP")
        .expect("m");
    assert_eq!(s, vec![1.0, 2.0]);
}

#[test]
fn bad_numbers_name_file_line_and_column() {
    let m = error_of(
        2,
        "activity_id,kind,input_id,amount\na,production,a,1\nb,production,b,one\n",
    );
    assert_mentions(
        &m,
        &["exchanges.csv:3", "'amount'", "'one' is not a number"],
    );
    let m = error_of(2, "activity_id,kind,input_id,amount\na,production,a,inf\n");
    assert_mentions(&m, &["exchanges.csv:2", "'amount'", "finite"]);
    let m = error_of(2, "activity_id,kind,input_id,amount\na,production,a,\n");
    assert_mentions(&m, &["exchanges.csv:2", "'amount'", "empty"]);
    let m = error_of(3, "method,flow_id,factor\nGWP,co2,NaN\n");
    assert_mentions(&m, &["characterization.csv:2", "'factor'"]);
}

#[test]
fn unknown_ids_are_named() {
    let m = error_of(2, "activity_id,kind,input_id,amount\nzz,production,zz,1\n");
    assert_mentions(
        &m,
        &[
            "exchanges.csv:2",
            "'activity_id'",
            "unknown activity id 'zz'",
        ],
    );
    let m = error_of(2, "activity_id,kind,input_id,amount\na,technosphere,qq,1\n");
    assert_mentions(
        &m,
        &["exchanges.csv:2", "'input_id'", "unknown activity id 'qq'"],
    );
    let m = error_of(2, "activity_id,kind,input_id,amount\na,biosphere,n2o,1\n");
    assert_mentions(
        &m,
        &["exchanges.csv:2", "'input_id'", "unknown flow id 'n2o'"],
    );
    let m = error_of(3, "method,flow_id,factor\nGWP,co2,1\nGWP,sf6,25200\n");
    assert_mentions(
        &m,
        &[
            "characterization.csv:3",
            "'flow_id'",
            "unknown flow id 'sf6'",
        ],
    );
    let m = error_of(2, "activity_id,kind,input_id,amount\na,production,b,1\n");
    assert_mentions(
        &m,
        &[
            "exchanges.csv:2",
            "'input_id'",
            "must be the activity itself",
        ],
    );
}

#[test]
fn unknown_kind_is_named() {
    let m = error_of(2, "activity_id,kind,input_id,amount\na,waste,a,1\n");
    assert_mentions(&m, &["exchanges.csv:2", "'kind'", "'waste'"]);
}

#[test]
fn duplicate_and_empty_ids_are_errors() {
    let m = error_of(
        0,
        "id,name,unit,location\na,A,kg,CN\nb,B,kg,CN\na,A2,kg,CN\n",
    );
    assert_mentions(&m, &["activities.csv:4", "'id'", "duplicate id 'a'"]);
    let m = error_of(1, "id,name,compartment,unit\nco2,x,air,kg\nco2,y,air,kg\n");
    assert_mentions(&m, &["flows.csv:3", "'id'", "duplicate id 'co2'"]);
    let m = error_of(0, "id,name,unit,location\n,A,kg,CN\n");
    assert_mentions(&m, &["activities.csv:2", "'id'", "empty"]);
}

#[test]
fn missing_columns_are_named() {
    let m = error_of(0, "id,name,unit\na,A,kg\n");
    assert_mentions(
        &m,
        &["activities.csv", "missing required column 'location'"],
    );
    let m = error_of(2, "activity_id,kind,amount\na,production,1\n");
    assert_mentions(&m, &["exchanges.csv", "'input_id'"]);
    let m = error_of(3, "");
    assert_mentions(&m, &["characterization.csv"]);
    // Columns in another order, with a byte-order mark and extra columns, are fine.
    let db = read_tabular_from_strings(
        "\u{feff}location,unit,id,name,note\nCN,kg,a,A,x\nCN,kg,b,B,y\n",
        FLOW,
        EXC,
        "factor,flow_id,method,comment\n1,co2,GWP,ok\n",
    )
    .expect("valid");
    assert_eq!(db.activities[0].location, "CN");
}

#[test]
fn bad_uncertainty_is_named() {
    let h = "activity_id,kind,input_id,amount,uncertainty_type,loc,scale,min,max\na,production,a,1,,,,,\n";
    let m = error_of(2, &format!("{h}a,technosphere,b,0.5,beta,,1,,\n"));
    assert_mentions(&m, &["exchanges.csv:3", "'uncertainty_type'", "'beta'"]);
    let m = error_of(2, &format!("{h}a,technosphere,b,0.5,lognormal,,,,\n"));
    assert_mentions(&m, &["exchanges.csv:3", "'uncertainty_type'", "scale"]);
    let m = error_of(2, &format!("{h}a,technosphere,b,0.5,uniform,,,2,1\n"));
    assert_mentions(&m, &["exchanges.csv:3", "min < max"]);
    let m = error_of(2, &format!("{h}a,technosphere,b,0.5,normal,,x,,\n"));
    assert_mentions(&m, &["exchanges.csv:3", "'scale'", "'x' is not a number"]);
    let m = error_of(2, &format!("{h}a,technosphere,b,0,lognormal,,0.1,,\n"));
    assert_mentions(&m, &["exchanges.csv:3", "non-zero amount"]);
}

#[test]
fn malformed_rows_and_gases_are_named() {
    let m = error_of(0, "id,name,unit,location\na,A,kg\n");
    assert_mentions(&m, &["activities.csv:2", "3 fields but the header has 4"]);
    let m = error_of(1, "id,name,compartment,unit,gas\nco2,CO2,air,kg,XeF\n");
    assert_mentions(&m, &["flows.csv:2", "'gas'", "unknown gas 'XeF'"]);
    let m = error_of(
        1,
        "id,name,compartment,unit,origin\nco2,CO2,air,kg,volcanic\n",
    );
    assert_mentions(&m, &["flows.csv:2", "'origin'", "volcanic"]);
}

#[test]
fn file_level_errors_name_the_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let e = read_tabular(tmp.path()).unwrap_err();
    assert!(matches!(e, TabularError::Io { .. }));
    assert!(
        e.to_string().contains("activities.csv") || e.to_string().contains("database.toml"),
        "{e}"
    );

    let db = read_tabular_from_strings(ACT, FLOW, EXC, CHAR).expect("valid");
    write_tabular(&db, tmp.path()).expect("writes");
    std::fs::write(tmp.path().join("database.toml"), "id = [").expect("write");
    let e = read_tabular(tmp.path()).unwrap_err().to_string();
    assert_mentions(&e, &["database.toml"]);

    std::fs::write(tmp.path().join("database.toml"), "id = \"x\"").expect("write");
    std::fs::write(
        tmp.path().join("flows.csv"),
        b"id,name,compartment,unit\nco2,\xff\xfe,air,kg\n",
    )
    .expect("write");
    let e = read_tabular(tmp.path()).unwrap_err().to_string();
    assert_mentions(&e, &["flows.csv:2", "UTF-8"]);
}

/// A large exchanges.csv is parsed in parallel chunks; the result and the line numbers
/// of errors are those of the one-piece parse (forced here by quoting a header name).
#[test]
fn large_files_parse_in_chunks_with_true_line_numbers() {
    let mut body = String::new();
    for i in 0..60_000 {
        body.push_str(&format!("a,technosphere,b,{}.5\n", i % 7));
        body.push_str(&format!("b,biosphere,co2,{}e-3\n", i % 11));
    }
    let head = "activity_id,kind,input_id,amount\na,production,a,1\nb,production,b,1\n";
    let quoted = "\"activity_id\",kind,input_id,amount\na,production,a,1\nb,production,b,1\n";
    assert!(body.len() > 2 << 20);
    let chunked =
        read_tabular_from_strings(ACT, FLOW, &format!("{head}{body}"), CHAR).expect("valid");
    let whole =
        read_tabular_from_strings(ACT, FLOW, &format!("{quoted}{body}"), CHAR).expect("valid");
    assert_eq!(chunked.exchanges.len(), 120_002);
    assert_eq!(chunked.exchanges, whole.exchanges);

    // Line 1 header, lines 2–3 production, so data row k (from 0) is on line k + 4.
    let bad = body.replacen("b,biosphere,co2,5e-3", "b,biosphere,co2,5e-3x", 1);
    let k = body
        .lines()
        .position(|l| l == "b,biosphere,co2,5e-3")
        .expect("row");
    for h in [head, quoted] {
        let m = read_tabular_from_strings(ACT, FLOW, &format!("{h}{bad}"), CHAR)
            .unwrap_err()
            .to_string();
        assert_mentions(
            &m,
            &[&format!("exchanges.csv:{}:", k + 4), "'amount'", "'5e-3x'"],
        );
    }
    let late = format!("{head}{body}a,technosphere\n");
    let m = read_tabular_from_strings(ACT, FLOW, &late, CHAR)
        .unwrap_err()
        .to_string();
    assert_mentions(
        &m,
        &["exchanges.csv:120004:", "2 fields but the header has 4"],
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Arbitrary text in any table never panics the reader.
    #[test]
    fn random_text_never_panics(which in 0usize..4, text in ".{0,400}") {
        let mut t = [ACT, FLOW, EXC, CHAR];
        t[which] = &text;
        let _ = read_tabular_from_strings(t[0], t[1], t[2], t[3]);
    }

    /// Rows of random fields under valid headers never panic either.
    #[test]
    fn random_rows_never_panic(
        rows in proptest::collection::vec(
            proptest::collection::vec(prop_oneof![
                Just("a".to_string()), Just("b".to_string()), Just("co2".to_string()),
                Just("production".to_string()), Just("technosphere".to_string()), Just("biosphere".to_string()),
                Just("lognormal".to_string()), Just("triangular".to_string()), Just("uniform".to_string()),
                Just("normal".to_string()), Just(String::new()), Just("\"".to_string()),
                any::<f64>().prop_map(|v| v.to_string()), "[ -~]{0,6}",
            ], 0..11),
            0..12),
    ) {
        let mut exc = String::from("activity_id,kind,input_id,amount,uncertainty_type,loc,scale,min,max\n");
        for r in &rows {
            exc.push_str(&r.join(","));
            exc.push('\n');
        }
        // Whatever loads also computes or fails cleanly.
        if let Ok(db) = read_tabular_from_strings(ACT, FLOW, &exc, CHAR)
            && let Ok(sys) = LciSystem::build(&db)
            && let Ok(f) = sys.factorise()
        {
            let _ = f.scores_all("GWP");
            let _ = f.monte_carlo(0, "GWP", zuji_calc::lci::MonteCarloConfig { iterations: 3, seed: 1 });
        }
    }

    /// Random bytes as files never panic the file reader.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300), which in 0usize..4) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let names = ["activities.csv", "flows.csv", "exchanges.csv", "characterization.csv"];
        for (n, t) in names.iter().zip([ACT, FLOW, EXC, CHAR]) {
            std::fs::write(tmp.path().join(n), t).expect("write");
        }
        std::fs::write(tmp.path().join(names[which]), &bytes).expect("write");
        let _ = read_tabular(tmp.path());
    }

    /// Lognormal GSDs below e survive writing σ = ln GSD and reading it back.
    #[test]
    fn lognormal_gsd_round_trips(sigma in 0.0f64..1.0, amount in 0.001f64..1000.0) {
        let gsd = sigma.exp();
        let exc = format!(
            "activity_id,kind,input_id,amount,uncertainty_type,loc,scale,min,max\n\
             a,production,a,1,,,,,\nb,production,b,1,,,,,\na,technosphere,b,{amount:?},lognormal,,{sigma:?},,\n");
        let db = read_tabular_from_strings(ACT, FLOW, &exc, CHAR).expect("valid");
        let tmp = tempfile::tempdir().expect("temp dir");
        write_tabular(&db, tmp.path()).expect("writes");
        let again = read_tabular(tmp.path()).expect("reads");
        prop_assert_eq!(again.exchanges[2].uncertainty, Uncertainty::Lognormal { gsd });
        prop_assert_eq!(&again.exchanges, &db.exchanges);
    }
}
