//! A hand-built report and certificate for the tests. ILLUSTRATIVE figures, made up to
//! exercise the layout (a pack of 60 kWh so that totals need a thousands separator, a
//! negative end-of-life credit, a removal, strings with markup characters); they are not
//! a footprint of any real product.

#![allow(dead_code)]

use zuji_model::product::{
    AllocationMethod, LocalisedName, RecyclingApproach, SystemBoundary, UnitKind,
};
use zuji_model::{LifeCycleStage, Origin};
use zuji_report::*;

pub const TOTAL: f64 = 4725.3;

pub fn name() -> LocalisedName {
    LocalisedName {
        zh: Some("示例磷酸铁锂电池包".into()),
        zh_hant: Some("示例磷酸鐵鋰電池包".into()),
        en: Some("Illustrative LFP battery pack".into()),
    }
}

pub fn report() -> StudyReport {
    let stage = |stage, value: f64| StageRow {
        stage,
        value,
        share: value / TOTAL,
    };
    StudyReport {
        report_id: "footprint-42".into(),
        provenance: Provenance {
            footprint_id: Some("42".into()),
            organisation: Some("示例电池有限公司 (Example Battery Co.)".into()),
            model_version: Some(3),
            computed_at_ms: Some(1_737_115_200_000),
            fingerprint_sha256: Some(
                "9f2c4e1a7b3d5f60c8e2a4b6d8f0123456789abcdef0123456789abcdef01234".into(),
            ),
            engine: Some("zuji-calc 0.1.0".into()),
        },
        product: ProductSection {
            id: Some("example-lfp-pack-60".into()),
            name: name(),
            category: "battery-pack".into(),
            gtin: Some("06901234567892".into()),
            description: Some("Illustrative 60 kWh LFP traction pack for layout tests.".into()),
        },
        goal: Goal {
            intended_application: Some("Business-to-business communication of the pack footprint (illustrative).".into()),
            reasons: Some("Customer request under the EU Battery Regulation (illustrative).".into()),
            intended_audience: Some("Vehicle manufacturers".into()),
            public_communication: Some(false),
        },
        scope: Scope {
            unit: UnitSection {
                amount: 1.0,
                unit: "pack".into(),
                kind: UnitKind::Declared,
                description: Some("One 60 kWh pack as shipped (额定容量 60 kWh)".into()),
            },
            reference_flow: Some("1 pack from process pack-assembly".into()),
            boundary: SystemBoundary::CradleToGate,
            stages_included: vec![
                LifeCycleStage::RawMaterialAcquisition,
                LifeCycleStage::Production,
                LifeCycleStage::Distribution,
                LifeCycleStage::EndOfLife,
            ],
            stages_excluded: vec![ExcludedStage {
                stage: LifeCycleStage::Use,
                reason: Some("outside a cradle-to-gate boundary".into()),
            }],
            cut_off: Some(CutOff {
                criteria: Some("PCR zuji:pcr:battery-pack:draft: 1% per flow, 5% in total".into()),
                per_flow_limit: Some(0.01),
                total_limit: Some(0.05),
                excluded_share: None,
            }),
            reference_period: "2024".into(),
            geography: "CN".into(),
            processes: vec![
                ProcessRow {
                    id: "pack-assembly".into(),
                    name: Some("Pack assembly (电池包组装)".into()),
                    stage: LifeCycleStage::Production,
                    location: Some("CN-JS".into()),
                    primary: Some(true),
                    source: Some("Plant meter readings 2024 (illustrative)".into()),
                },
                ProcessRow {
                    id: "cell-production".into(),
                    name: Some("LFP cell production (电芯生产)".into()),
                    stage: LifeCycleStage::Production,
                    location: Some("CN-FJ".into()),
                    primary: Some(false),
                    source: None,
                },
            ],
        },
        data: DataSection {
            primary_data_share: Some(0.412),
            databases: vec![DatabaseRef {
                name: "zuji-default".into(),
                version: Some("2026.1".into()),
                licence: Some("CC BY 4.0 (illustrative)".into()),
                sha256: Some(
                    "0d1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a".into(),
                ),
            }],
            suppliers: vec![SupplierRow {
                id: "urn:uuid:6f0c2d4e-8a51-4c1e-9b7a-3e2f1d0c9b8a".into(),
                name: Some("LFP cathode material (illustrative supplier)".into()),
                pcf: 12.66,
                unit: "kg".into(),
                primary_data_share: Some(0.6),
                source: Some("Supplier PCF received 2025-01 (illustrative)".into()),
            }],
            sources: vec![
                "Plant meter readings 2024 (illustrative)".into(),
                "MEE/NBS/NEA 2025 No.3 electricity footprint factors".into(),
            ],
            quality: Some(DataQualitySection {
                rating: Some(2.14),
                level: Some("very good".into()),
                coverage: Some(0.93),
            }),
        },
        method: Methodology {
            gwp_method: "IPCC AR6 GWP100".into(),
            allocation: vec![AllocationUse {
                process: "cell-production".into(),
                method: AllocationMethod::Physical,
                products: 2,
            }],
            electricity: Some(Electricity {
                approach: Some(ElectricityApproach::LocationBased),
                residual_mix: Some(false),
                datasets: vec!["electricity/cn/national/2023/footprint".into()],
                note: None,
            }),
            recycling: RecyclingApproach::CutOff,
            end_of_life_note: None,
            assumptions: vec![
                "1000 km road transport from the cell plant to the pack plant (illustrative).".into(),
                "Values < 1% & \"rounded\" shares are shown as computed.".into(),
            ],
            parameters: vec![
                ParameterRow {
                    name: "pack_mass".into(),
                    value: Some(399.6),
                    formula: None,
                    unit: Some("kg".into()),
                    source: Some("Design data (illustrative)".into()),
                },
                ParameterRow {
                    name: "cathode_kg".into(),
                    value: Some(119.88),
                    formula: Some("pack_mass * 0.30".into()),
                    unit: Some("kg".into()),
                    source: None,
                },
            ],
        },
        results: Results {
            total: TOTAL,
            by_stage: vec![
                stage(LifeCycleStage::RawMaterialAcquisition, 3350.2),
                stage(LifeCycleStage::Production, 1480.6),
                stage(LifeCycleStage::Distribution, 20.0),
                stage(LifeCycleStage::EndOfLife, -125.5),
            ],
            by_gas: vec![
                GasRow { gas: "CO2".into(), origin: Origin::Fossil, mass: 4500.0, value: 4500.0 },
                GasRow { gas: "CH4".into(), origin: Origin::Fossil, mass: 6.43, value: 180.0 },
                GasRow { gas: "N2O".into(), origin: Origin::Fossil, mass: 0.147, value: 40.3 },
                GasRow { gas: "CO2".into(), origin: Origin::BiogenicRemoval, mass: -10.0, value: -10.0 },
                GasRow { gas: "CO2e".into(), origin: Origin::Unspecified, mass: 15.0, value: 15.0 },
            ],
            by_origin: OriginRows {
                fossil: 4720.3,
                biogenic_emissions: 0.0,
                biogenic_removals: -10.0,
                dluc: 0.0,
                iluc: None,
                aircraft: 0.0,
                unspecified: 15.0,
            },
            top_contributors: vec![
                ContributorRow {
                    name: "LFP cell production (电芯生产)".into(),
                    stage: LifeCycleStage::Production,
                    value: 3100.0,
                    share: 3100.0 / TOTAL,
                },
                ContributorRow {
                    name: "Pack assembly (电池包组装)".into(),
                    stage: LifeCycleStage::Production,
                    value: 1750.8,
                    share: 1750.8 / TOTAL,
                },
                ContributorRow {
                    name: "End-of-life credit".into(),
                    stage: LifeCycleStage::EndOfLife,
                    value: -125.5,
                    share: -125.5 / TOTAL,
                },
            ],
        },
        interpretation: Interpretation {
            monte_carlo: Some(MonteCarlo {
                iterations: 10_000,
                seed: Some(42),
                mean: 4731.9,
                sd: 388.2,
                median: 4718.0,
                p2_5: 4012.6,
                p97_5: 5540.1,
            }),
            sensitivity: vec![SensitivityRow {
                parameter: "pack_mass".into(),
                value: 399.6,
                total_low: Some(4490.1),
                total_high: Some(4960.5),
                elasticity: Some(0.4977),
                note: None,
            }],
            sensitivity_step: Some(0.1),
            limitations: vec![
                "Copper and aluminium foils, electrolyte and separator are not modelled (illustrative gap).".into(),
                "Illustrative figures: <not a real product> & not for comparison.".into(),
            ],
        },
        pcr: Some(PcrSection {
            id: "zuji:pcr:battery-pack:draft".into(),
            version: Some("0.1".into()),
            title: LocalisedName {
                zh: Some("电池包（草案）".into()),
                zh_hant: None,
                en: Some("Battery packs (draft)".into()),
            },
            conformance: Some(vec![
                ConformanceItem {
                    key: "declared-unit".into(),
                    mandatory: true,
                    met: true,
                    detail: "1 pack matches the PCR's declared unit".into(),
                },
                ConformanceItem {
                    key: "primary-data:cell-electricity".into(),
                    mandatory: false,
                    met: false,
                    detail: "cell-plant electricity is secondary".into(),
                },
            ]),
        }),
    }
}

pub fn certificate() -> CertificateDocument {
    CertificateDocument {
        certificate_id: "ZJ-CERT-2025-0007".into(),
        holder: "示例电池有限公司 (Example Battery Co.)".into(),
        product: name(),
        gtin: Some("06901234567892".into()),
        declared_unit: "1 pack".into(),
        boundary: Some(SystemBoundary::CradleToGate),
        value: TOTAL,
        pcr_id: Some("zuji:pcr:battery-pack:draft".into()),
        pcr_version: Some("0.1".into()),
        standards: STANDARDS.iter().map(|s| s.to_string()).collect(),
        certification_body: "示例认证中心 (Example Certification Body)".into(),
        issued_at_ms: 1_737_115_200_000,
        // 2028-01-18T00:00Z exclusive: the last valid day is 2028-01-17.
        valid_until_ms: Some(1_831_766_400_000),
        status: CertificateStatus::Valid,
        fingerprint_sha256: "9f2c4e1a7b3d5f60c8e2a4b6d8f0123456789abcdef0123456789abcdef01234"
            .into(),
        verification_url: "https://zuji.example/verify/ZJ-CERT-2025-0007".into(),
    }
}
