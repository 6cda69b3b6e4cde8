//! What the registry operator's desk stores and pages, on both backends: a benchmark's
//! licence and geography kept with it (and in its log entry), a bad geography refused
//! with nothing stored, a benchmark without them read back as before, and the paged
//! benchmark history and organisation list, whose pages are worked out here by hand.

mod common;

use zuji_store::*;
use zuji_trust::benchmark::{BenchmarkValues, BenchmarkVersion};
use zuji_trust::pcr::BenchmarkMethod;

const STEEL: &str = "zuji:pcr:steel-hot-rolled-coil:draft";
const BATTERY: &str = "zuji:pcr:battery-pack:draft";

async fn member(s: &Store, name: &str, kind: OrgKind, email: &str) -> Viewer {
    let org = s.create_org(&Viewer::System, name, kind).await.unwrap();
    let u = s
        .create_user(
            &Viewer::System,
            email,
            org.id,
            Role::Admin,
            "a long enough password",
        )
        .await
        .unwrap();
    Viewer::Member {
        org_id: org.id,
        org_kind: kind,
        user_id: Some(u.id),
        scopes: Scope::of_role(Role::Admin),
    }
}

/// A policy benchmark of the PCR `pcr_id` (its stored version) as the desk's form builds
/// it; the values fit every bundled PCR's bands.
async fn policy(
    s: &Store,
    pcr_id: &str,
    period: &str,
    version: u32,
    licence: Option<&str>,
    geography: Option<&str>,
) -> BenchmarkVersion {
    let pcr = s.get_pcr(pcr_id, None).await.unwrap().pcr;
    BenchmarkVersion {
        pcr_id: pcr.id.clone(),
        pcr_version: pcr.version.clone(),
        period: period.into(),
        version,
        unit: format!("{} {}", pcr.declared_unit.amount, pcr.declared_unit.unit),
        values: BenchmarkValues {
            default: 2400.0,
            average: 2100.0,
            advanced: 1900.5,
        },
        method: BenchmarkMethod::Policy {
            source: "Provincial notice 2025-7".into(),
        },
        sample_size: None,
        statistics: None,
        source: "Provincial notice 2025-7".into(),
        licence: licence.map(str::to_string),
        geography: geography.map(str::to_string),
        published_at: "2026-11-21".into(),
    }
}

#[tokio::test]
async fn a_benchmark_keeps_its_licence_and_geography() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        s.ensure_bundled_pcrs().await.unwrap();
        let registry = member(s, "GBA Registry", OrgKind::Registry, "r@reg.example").await;

        // A geography that is not an ISO 3166 code: refused, nothing stored or logged.
        let bad = policy(s, STEEL, "2025", 1, Some("CC BY 4.0"), Some("Guangdong")).await;
        match s.publish_benchmark(&registry, bad).await {
            Err(StoreError::Invalid { field, problem }) => {
                assert_eq!(field, "benchmark", "{name}");
                assert_eq!(
                    problem, "geography 'Guangdong' is not an ISO 3166 code such as CN or CN-GD",
                    "{name}"
                );
            }
            other => panic!("{name}: {other:?}"),
        }
        assert!(s.list_benchmarks(STEEL).await.unwrap().is_empty(), "{name}");
        assert_eq!(s.log_size().await.unwrap(), 0, "{name}");

        let good = policy(s, STEEL, "2025", 1, Some("CC BY 4.0"), Some("CN-GD")).await;
        s.publish_benchmark(&registry, good).await.unwrap();
        let latest = s.latest_benchmark(STEEL, "2025").await.unwrap().unwrap();
        assert_eq!(latest.benchmark.licence.as_deref(), Some("CC BY 4.0"));
        assert_eq!(latest.benchmark.geography.as_deref(), Some("CN-GD"));
        assert_eq!(latest.benchmark.source, "Provincial notice 2025-7");
        let logged = s.log_entries(0, 1).await.unwrap();
        assert_eq!(logged[0].body["licence"], "CC BY 4.0", "{name}");
        assert_eq!(logged[0].body["geography"], "CN-GD", "{name}");

        // Neither stated: read back as not stated, and the log body has no such keys
        // (as versions published before they were recorded).
        let plain = policy(s, BATTERY, "2024", 1, None, None).await;
        s.publish_benchmark(&registry, plain).await.unwrap();
        let latest = s.latest_benchmark(BATTERY, "2024").await.unwrap().unwrap();
        assert_eq!(
            (latest.benchmark.licence, latest.benchmark.geography),
            (None, None)
        );
        let logged = s.log_entries(1, 2).await.unwrap();
        assert!(logged[0].body.get("licence").is_none(), "{name}");
        assert!(logged[0].body.get("geography").is_none(), "{name}");
    }
}

#[tokio::test]
async fn the_benchmark_history_and_organisations_come_in_pages() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        s.ensure_bundled_pcrs().await.unwrap();
        let registry = member(s, "Registry", OrgKind::Registry, "r@reg.example").await;
        // Five steel versions for 2025, then two battery versions for 2024.
        for v in 1..=5 {
            let b = policy(s, STEEL, "2025", v, Some("CC BY 4.0"), Some("CN")).await;
            s.publish_benchmark(&registry, b).await.unwrap();
        }
        for v in 1..=2 {
            let b = policy(s, BATTERY, "2024", v, None, None).await;
            s.publish_benchmark(&registry, b).await.unwrap();
        }
        let versions = |p: &Page<StoredBenchmark>| -> Vec<(String, u32)> {
            p.items
                .iter()
                .map(|b| (b.benchmark.pcr_id.clone(), b.benchmark.version))
                .collect()
        };
        // Steel, newest first: v5 v4 | v3 v2 | v1.
        let page2 = s
            .benchmark_history(Some(STEEL), PageRequest::new(2, 2))
            .await
            .unwrap();
        assert_eq!(page2.total, 5, "{name}");
        assert_eq!(
            versions(&page2),
            vec![(STEEL.to_string(), 3), (STEEL.to_string(), 2)],
            "{name}"
        );
        let page3 = s
            .benchmark_history(Some(STEEL), PageRequest::new(4, 2))
            .await
            .unwrap();
        assert_eq!(versions(&page3), vec![(STEEL.to_string(), 1)], "{name}");
        // Every PCR: battery v2 v1, then steel v5 …
        let all = s
            .benchmark_history(None, PageRequest::new(0, 3))
            .await
            .unwrap();
        assert_eq!(all.total, 7, "{name}");
        assert_eq!(
            versions(&all),
            vec![
                (BATTERY.to_string(), 2),
                (BATTERY.to_string(), 1),
                (STEEL.to_string(), 5)
            ],
            "{name}"
        );
        let none = s
            .benchmark_history(Some("zuji:pcr:apparel:draft"), PageRequest::new(0, 10))
            .await
            .unwrap();
        assert_eq!((none.total, none.items.len()), (0, 0), "{name}");

        // Organisations by kind (as stored: certifier, enterprise, registry) then name:
        // Cert · A Co · B Co · C Co · Registry.
        let a = member(s, "C Co", OrgKind::Enterprise, "c@c.example").await;
        for (n, k) in [
            ("A Co", OrgKind::Enterprise),
            ("Cert", OrgKind::Certifier),
            ("B Co", OrgKind::Enterprise),
        ] {
            s.create_org(&Viewer::System, n, k).await.unwrap();
        }
        let page = s
            .organisations_page(&registry, PageRequest::new(2, 2))
            .await
            .unwrap();
        assert_eq!(page.total, 5, "{name}");
        let names: Vec<(&str, u64)> = page
            .items
            .iter()
            .map(|o| (o.name.as_str(), o.users))
            .collect();
        assert_eq!(names, vec![("B Co", 0), ("C Co", 1)], "{name}");
        let last = s
            .organisations_page(&registry, PageRequest::new(4, 2))
            .await
            .unwrap();
        assert_eq!(last.items.len(), 1, "{name}");
        assert_eq!(last.items[0].name, "Registry", "{name}");
        assert!(matches!(
            s.organisations_page(&a, PageRequest::new(0, 2)).await,
            Err(StoreError::Forbidden(_))
        ));
    }
}
