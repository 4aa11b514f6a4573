//! Storage volumes (shared VAST NFS): list, detail with used capacity, create, resize, rename,
//! attach to rentals (`order_ids`), delete, and the per-GB rate used to estimate a new size. The
//! document shows `x-api-token` for storage; Bearer is sent as well (NOTES.md).
//!
//! A volume's cost is its own `rate_hourly`: the document's per-GB rate and its example volume
//! disagree (`0.017408` per GB, yet the 100 GB example costs `0.017408` an hour), so
//! `storage/hourly-rate` x size is only an estimate for a size not yet bought.

use serde::{Deserialize, Serialize};

use crate::money::lenient_money;
use crate::request::{ApiRequest, Method};
use crate::url::{path, RequestPath};
use crate::{Money, PageRequest, Provider};

/// The most volumes `GET /api/v1/storage/` returns in one page.
pub const VOLUMES_PAGE_MAX: u32 = 100;

/// Hours in an average month (365 × 24 / 12), for $/month.
pub const HOURS_PER_MONTH: u32 = 730;

/// Bytes in the provider's GB (decimal, as disk sizes are sold).
pub const BYTES_PER_GB: u64 = 1_000_000_000;

/// A storage volume as the list describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub size_in_gb: Option<u64>,
    /// `active` or `inactive`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, with = "lenient_money")]
    pub rate_hourly: Option<Money>,
    /// The rentals the volume is attached to.
    #[serde(default)]
    pub order_ids: Vec<String>,
    /// The NFS server address the volume is mounted from.
    #[serde(default)]
    pub vip: Option<String>,
    #[serde(default)]
    pub tenant_id: Option<i64>,
}

impl Volume {
    /// What the volume costs a month at its own hourly rate.
    pub fn monthly(&self) -> Option<Money> {
        self.rate_hourly.map(|r| r * HOURS_PER_MONTH)
    }

    /// True when the provider says the volume is `active`.
    pub fn is_active(&self) -> bool {
        self.status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("active"))
    }
}

/// Answer of `GET /api/v1/storage/{storage_id}`: the volume and how much of it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeDetail {
    #[serde(flatten)]
    pub volume: Volume,
    #[serde(default)]
    pub used_capacity_bytes: Option<u64>,
}

/// Answer of `GET /api/v1/storage/hourly-rate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageRate {
    pub hourly_rate_per_gb: Money,
}

impl StorageRate {
    /// The estimated hourly cost of `size_gb` GB.
    pub fn estimate(&self, size_gb: u32) -> Money {
        self.hourly_rate_per_gb * size_gb
    }
}

/// The body of `POST /api/v1/storage/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewVolume {
    pub size_in_gb: u32,
    pub name: String,
    /// The rentals to attach it to at once (the document's default is none).
    pub order_ids: Vec<String>,
}

/// The body of `PATCH /api/v1/storage/{storage_id}`: only what changes is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumePatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_in_gb: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The whole new list of rentals: a shared volume can serve several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_ids: Option<Vec<String>>,
}

impl VolumePatch {
    pub fn is_empty(&self) -> bool {
        self == &VolumePatch::default()
    }
}

/// A request with both headers the storage and SSH-key endpoints take.
pub(crate) fn api_token(method: Method, path: impl Into<RequestPath>, token: &str) -> ApiRequest {
    ApiRequest::new(Provider::VoltagePark, method, path)
        .header("x-api-token", token)
        .header("Authorization", format!("Bearer {token}"))
}

fn volume_path(id: &str) -> RequestPath {
    path("/api/v1/storage/{}", &[id])
}

/// `GET /api/v1/storage/`: one page of the organization's volumes.
pub fn list_volumes(token: &str, page: PageRequest) -> ApiRequest {
    api_token(Method::Get, "/api/v1/storage/", token)
        .query("limit", page.limit.clamp(1, VOLUMES_PAGE_MAX))
        .query("offset", page.offset)
}

/// `GET /api/v1/storage/hourly-rate`: the per-GB hourly rate ([`StorageRate`]).
pub fn storage_hourly_rate(token: &str) -> ApiRequest {
    api_token(Method::Get, "/api/v1/storage/hourly-rate", token)
}

/// `GET /api/v1/storage/{storage_id}`: one volume with its used capacity ([`VolumeDetail`]).
pub fn get_volume(token: &str, id: &str) -> ApiRequest {
    api_token(Method::Get, volume_path(id), token)
}

/// `POST /api/v1/storage/`: creates a volume (billable); answers 201 with the [`Volume`].
pub fn create_volume(token: &str, volume: &NewVolume) -> ApiRequest {
    api_token(Method::Post, "/api/v1/storage/", token).json_body(volume)
}

/// `PATCH /api/v1/storage/{storage_id}`: resize, rename or attach; answers with the [`Volume`].
pub fn update_volume(token: &str, id: &str, patch: &VolumePatch) -> ApiRequest {
    api_token(Method::Patch, volume_path(id), token).json_body(patch)
}

/// `DELETE /api/v1/storage/{storage_id}`: answers 204; 400 while rentals use it.
pub fn delete_volume(token: &str, id: &str) -> ApiRequest {
    api_token(Method::Delete, volume_path(id), token)
}

/// How full a volume is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub used_bytes: u64,
    pub size_gb: u64,
}

impl Usage {
    /// Percent used, 0 to 100 (more only if the provider reports more than the size), rounded
    /// down to a tenth so that "100%" means full.
    pub fn percent(&self) -> f64 {
        if self.size_gb == 0 {
            return 0.0;
        }
        let per_mille =
            u128::from(self.used_bytes) * 1000 / u128::from(self.size_gb * BYTES_PER_GB);
        per_mille as f64 / 10.0
    }

    /// "1.32 TB of 2,000 GB used (65.9%)".
    pub fn describe(&self) -> String {
        format!(
            "{} of {} GB used ({}%)",
            format_bytes(self.used_bytes),
            group_thousands(self.size_gb),
            self.percent()
        )
    }

    /// The smallest whole size in GB that still holds what is stored.
    pub fn min_size_gb(&self) -> u64 {
        self.used_bytes.div_ceil(BYTES_PER_GB).max(1)
    }
}

/// Bytes in decimal units, three significant figures: `0 B`, `950 MB`, `1.32 TB`.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        return format!("{bytes} B");
    }
    let digits = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    format!("{value:.digits$} {}", UNITS[unit])
}

/// `12345` -> `12,345`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The largest size the form offers, in GB; the provider's own quota may be lower (it says so).
pub const MAX_SIZE_GB: u32 = 1_000_000;

/// Reads a size typed in the form: a whole number of GB, at least `min_gb`.
pub fn parse_size_gb(text: &str, min_gb: u64) -> Result<u32, String> {
    let text = text.trim().replace([',', '_'], "");
    if text.is_empty() {
        return Err("Give the size in GB, a whole number such as 100.".into());
    }
    let Ok(size) = text.parse::<u64>() else {
        return Err(format!(
            "\u{201c}{text}\u{201d} is not a whole number of GB; sizes are whole GB, such as 100."
        ));
    };
    if size < 1 {
        return Err("The size must be at least 1 GB.".into());
    }
    if size < min_gb {
        return Err(format!(
            "The volume already holds {} GB; it cannot be made smaller than {} GB.",
            group_thousands(min_gb),
            group_thousands(min_gb)
        ));
    }
    if size > u64::from(MAX_SIZE_GB) {
        return Err(format!(
            "{} GB is more than the {} GB the form accepts.",
            group_thousands(size),
            group_thousands(u64::from(MAX_SIZE_GB))
        ));
    }
    Ok(size as u32)
}

/// Checks a volume name: the document sets no rule, so only a name that is there at all and
/// short enough to show (the sandbox refuses a blank one with a 400, as we assume the real API
/// does).
pub fn check_volume_name(name: &str) -> Result<(), String> {
    let len = name.trim().chars().count();
    if len == 0 {
        return Err("Give the volume a name.".into());
    }
    if len > 128 {
        return Err(format!(
            "The name can have at most 128 characters (this one has {len})."
        ));
    }
    Ok(())
}

/// Where the mount command mounts a volume: `/mnt/` and the name made safe for a path.
pub fn mount_point(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().chars() {
        let c = if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c.to_ascii_lowercase()
        } else {
            '-'
        };
        if c == '-' && (slug.is_empty() || slug.ends_with('-')) {
            continue;
        }
        slug.push(c);
    }
    let slug = slug.trim_end_matches('-');
    format!("/mnt/{}", if slug.is_empty() { "volume" } else { slug })
}

/// The commands that mount a volume on a rental's node, from its `vip`.
///
/// [assumed] The volume is exported at the root of its VIP over NFSv3, as Voltage Park's
/// "Options for Mounting VAST NFS Shares" page describes for its VAST shares; the API document
/// does not give the export path. Kept here, in one place, to change when it says otherwise.
pub fn mount_command(vip: &str, name: &str) -> String {
    let at = mount_point(name);
    format!(
        "sudo apt-get install -y nfs-common && sudo mkdir -p {at} && sudo mount -t nfs -o vers=3,proto=tcp,nconnect=16 {vip}:/ {at}"
    )
}

/// Why a volume cannot be deleted yet, naming its rentals (`names` maps order ids to rental
/// names; an id not found is shown as it is). `None` when it is attached to nothing.
pub fn delete_blocker(volume: &Volume, names: &[(String, String)]) -> Option<String> {
    if volume.order_ids.is_empty() {
        return None;
    }
    let attached: Vec<String> = volume
        .order_ids
        .iter()
        .map(|id| rental_name(id, names))
        .collect();
    Some(format!(
        "\u{201c}{}\u{201d} is still attached to {}. Detach it from {} first (under Attach), or terminate {}; then delete it.",
        volume.name,
        attached.join(", "),
        if attached.len() == 1 { "that rental" } else { "those rentals" },
        if attached.len() == 1 { "the rental" } else { "the rentals" },
    ))
}

/// A rental's name from `names`, else its id.
pub fn rental_name(id: &str, names: &[(String, String)]) -> String {
    names
        .iter()
        .find(|(i, _)| i == id)
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The body fields of the storage forms, with words a refusal uses for each.
const FIELD_WORDS: [(&str, &[&str]); 3] = [
    ("size_in_gb", &["size", "shrink", "quota", " GB"]),
    ("name", &["name"]),
    ("order_ids", &["order", "rental", "attach"]),
];

/// The field a refusal without field names (a 400's `detail`) is about, so it can be shown next
/// to that field: the only field `sent`, or the one of them the message speaks of; `None`
/// (shown above the form) when that cannot be told.
pub fn refusal_field<'a>(message: &str, sent: &[&'a str]) -> Option<&'a str> {
    if let [only] = sent {
        return Some(only);
    }
    let lower = message.to_lowercase();
    sent.iter().copied().find(|field| {
        FIELD_WORDS
            .iter()
            .find(|(f, _)| f == field)
            .is_some_and(|(f, words)| {
                lower.contains(f)
                    || words
                        .iter()
                        .any(|w| message.contains(w) || lower.contains(w))
            })
    })
}

impl VolumePatch {
    /// The body fields this patch sends, for [`refusal_field`].
    pub fn fields(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.size_in_gb.is_some() {
            out.push("size_in_gb");
        }
        if self.name.is_some() {
            out.push("name");
        }
        if self.order_ids.is_some() {
            out.push("order_ids");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Page;

    const DOC_VOLUME: &str = r#"{"id": "123e4567-e89b-12d3-a456-426614174000", "size_in_gb": 100,
            "name": "My Storage Volume", "status": "active", "rate_hourly": "0.017408",
            "order_ids": ["e724424f-a73c-499e-b307-0a63d9b71b5b"], "tenant_id": 123, "vip": "0.0.0.0"}"#;

    fn has_both_headers(req: &ApiRequest) -> bool {
        req.headers.contains(&("x-api-token".into(), "tok".into()))
            && req
                .headers
                .contains(&("Authorization".into(), "Bearer tok".into()))
    }

    #[test]
    fn reads_the_documented_example_with_both_headers() {
        let body = format!(
            r#"{{"results": [{DOC_VOLUME}], "total_result_count": 1, "has_previous": true, "has_next": true}}"#
        );
        let page: Page<Volume> = serde_json::from_str(&body).unwrap();
        let v = &page.results[0];
        assert_eq!(v.name, "My Storage Volume");
        assert_eq!(v.rate_hourly, Money::parse("0.017408"));
        assert_eq!(v.vip.as_deref(), Some("0.0.0.0"));
        assert_eq!(v.tenant_id, Some(123));
        assert!(v.is_active());
        assert_eq!(v.monthly(), Money::parse("12.70784"));
        let req = list_volumes("tok", PageRequest::first(20));
        assert_eq!(req.path_and_query(), "/api/v1/storage/?limit=20&offset=0");
        assert!(has_both_headers(&req));
    }

    #[test]
    fn reads_the_documented_detail_and_rate() {
        let detail = DOC_VOLUME.replacen('{', r#"{"used_capacity_bytes": 1,"#, 1);
        let detail: VolumeDetail = serde_json::from_str(&detail).unwrap();
        assert_eq!(detail.used_capacity_bytes, Some(1));
        assert_eq!(detail.volume.size_in_gb, Some(100));
        let rate: StorageRate =
            serde_json::from_str(r#"{"hourly_rate_per_gb": "0.017408"}"#).unwrap();
        assert_eq!(rate.estimate(100), Money::parse("1.7408").unwrap());
        assert_eq!(rate.estimate(0), Money::ZERO);
    }

    #[test]
    fn requests_use_the_documented_paths_bodies_and_headers() {
        let id = "123e4567-e89b-12d3-a456-426614174000";
        let req = storage_hourly_rate("tok");
        assert_eq!(
            (req.method, req.path.as_str()),
            (Method::Get, "/api/v1/storage/hourly-rate")
        );
        assert!(has_both_headers(&req));
        let req = get_volume("tok", id);
        assert_eq!(
            (req.method, req.path.clone()),
            (Method::Get, format!("/api/v1/storage/{id}"))
        );
        assert!(has_both_headers(&req));

        let req = create_volume(
            "tok",
            &NewVolume {
                size_in_gb: 100,
                name: "My Storage Volume".into(),
                order_ids: vec!["19793722-5ca1-4791-a412-86a3b9c8050c".into()],
            },
        );
        assert_eq!(
            (req.method, req.path.as_str()),
            (Method::Post, "/api/v1/storage/")
        );
        assert!(has_both_headers(&req));
        let body: serde_json::Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"size_in_gb": 100, "name": "My Storage Volume",
                "order_ids": ["19793722-5ca1-4791-a412-86a3b9c8050c"]})
        );

        // Only what changes is sent; an empty list detaches from every rental.
        let patch = VolumePatch {
            size_in_gb: Some(200),
            order_ids: Some(Vec::new()),
            ..VolumePatch::default()
        };
        let req = update_volume("tok", id, &patch);
        assert_eq!(
            (req.method, req.path.clone()),
            (Method::Patch, format!("/api/v1/storage/{id}"))
        );
        assert!(has_both_headers(&req));
        let body: serde_json::Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"size_in_gb": 200, "order_ids": []})
        );
        assert!(VolumePatch::default().is_empty());
        assert!(!patch.is_empty());

        let req = delete_volume("tok", id);
        assert_eq!(
            (req.method, req.path.clone()),
            (Method::Delete, format!("/api/v1/storage/{id}"))
        );
        assert!(has_both_headers(&req));
    }

    #[test]
    fn usage_is_a_share_of_the_size_in_decimal_units() {
        let usage = Usage {
            used_bytes: 1_318_554_402_816,
            size_gb: 2000,
        };
        assert_eq!(usage.percent(), 65.9);
        assert_eq!(usage.describe(), "1.32 TB of 2,000 GB used (65.9%)");
        assert_eq!(usage.min_size_gb(), 1319);
        let empty = Usage {
            used_bytes: 0,
            size_gb: 100,
        };
        assert_eq!(empty.percent(), 0.0);
        assert_eq!(empty.min_size_gb(), 1);
        assert_eq!(empty.describe(), "0 B of 100 GB used (0%)");
        assert_eq!(
            Usage {
                used_bytes: 100 * BYTES_PER_GB,
                size_gb: 100
            }
            .percent(),
            100.0
        );
        assert_eq!(
            Usage {
                used_bytes: 5,
                size_gb: 0
            }
            .percent(),
            0.0
        );
        assert_eq!(format_bytes(999), "999 B");
        assert_eq!(format_bytes(950_000_000), "950 MB");
        assert_eq!(format_bytes(12_345_678_901), "12.3 GB");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(12), "12");
    }

    #[test]
    fn sizes_and_names_typed_in_the_form_are_checked() {
        assert_eq!(parse_size_gb(" 100 ", 1), Ok(100));
        assert_eq!(parse_size_gb("2,000", 1), Ok(2000));
        assert!(parse_size_gb("", 1).unwrap_err().contains("Give the size"));
        assert!(parse_size_gb("1.5", 1)
            .unwrap_err()
            .contains("not a whole number"));
        assert!(parse_size_gb("-3", 1)
            .unwrap_err()
            .contains("not a whole number"));
        assert!(parse_size_gb("0", 1).unwrap_err().contains("at least 1 GB"));
        assert_eq!(
            parse_size_gb("1000", 1319),
            Err(
                "The volume already holds 1,319 GB; it cannot be made smaller than 1,319 GB."
                    .into()
            )
        );
        assert!(parse_size_gb("99999999999", 1)
            .unwrap_err()
            .contains("more than"));
        assert_eq!(check_volume_name("datasets"), Ok(()));
        assert!(check_volume_name("  ")
            .unwrap_err()
            .contains("Give the volume a name"));
        assert!(check_volume_name(&"x".repeat(129)).is_err());
    }

    #[test]
    fn a_refusal_without_field_names_goes_to_the_field_it_is_about() {
        let both = ["size_in_gb", "name"];
        assert_eq!(refusal_field("anything", &["name"]), Some("name"));
        assert_eq!(
            refusal_field(
                "Cannot shrink the volume to 10 GB: 1319 GB are in use",
                &both
            ),
            Some("size_in_gb")
        );
        assert_eq!(
            refusal_field(
                "size_in_gb 10000000 exceeds the organization's quota of 100000 GB",
                &both
            ),
            Some("size_in_gb")
        );
        assert_eq!(refusal_field("name must not be empty", &both), Some("name"));
        assert_eq!(refusal_field("Try again later", &both), None);
        let patch = VolumePatch {
            name: Some("x".into()),
            order_ids: Some(vec![]),
            ..VolumePatch::default()
        };
        assert_eq!(patch.fields(), ["name", "order_ids"]);
        assert_eq!(
            refusal_field("Rental abc is not yours", &patch.fields()),
            Some("order_ids")
        );
    }

    #[test]
    fn the_mount_command_uses_the_vip_and_a_path_from_the_name() {
        assert_eq!(mount_point("My Storage Volume"), "/mnt/my-storage-volume");
        assert_eq!(mount_point("  ../etc "), "/mnt/etc");
        assert_eq!(mount_point("!!!"), "/mnt/volume");
        let cmd = mount_command("10.21.4.17", "datasets");
        assert!(cmd.contains("sudo mkdir -p /mnt/datasets"), "{cmd}");
        assert!(
            cmd.ends_with(
                "sudo mount -t nfs -o vers=3,proto=tcp,nconnect=16 10.21.4.17:/ /mnt/datasets"
            ),
            "{cmd}"
        );
    }

    #[test]
    fn an_attached_volume_says_what_to_do_before_it_can_be_deleted() {
        let mut v: Volume = serde_json::from_str(DOC_VOLUME).unwrap();
        let names = [(
            "e724424f-a73c-499e-b307-0a63d9b71b5b".to_string(),
            "pretrain-cluster".to_string(),
        )];
        let why = delete_blocker(&v, &names).unwrap();
        assert!(why.contains("still attached to pretrain-cluster"), "{why}");
        assert!(why.contains("Detach it from that rental first"), "{why}");
        v.order_ids.push("0000".into());
        let why = delete_blocker(&v, &names).unwrap();
        assert!(why.contains("pretrain-cluster, 0000"), "{why}");
        assert!(why.contains("terminate the rentals"), "{why}");
        v.order_ids.clear();
        assert_eq!(delete_blocker(&v, &names), None);
    }
}
