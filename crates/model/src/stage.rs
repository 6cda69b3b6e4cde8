//! Life-cycle stages, reported separately by ISO 14067 and GB/T 24067.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LifeCycleStage {
    RawMaterialAcquisition,
    Production,
    Distribution,
    Use,
    EndOfLife,
}

impl LifeCycleStage {
    pub const ALL: [LifeCycleStage; 5] = [
        LifeCycleStage::RawMaterialAcquisition,
        LifeCycleStage::Production,
        LifeCycleStage::Distribution,
        LifeCycleStage::Use,
        LifeCycleStage::EndOfLife,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LifeCycleStage::RawMaterialAcquisition => "raw-material-acquisition",
            LifeCycleStage::Production => "production",
            LifeCycleStage::Distribution => "distribution",
            LifeCycleStage::Use => "use",
            LifeCycleStage::EndOfLife => "end-of-life",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            LifeCycleStage::RawMaterialAcquisition => "原材料获取",
            LifeCycleStage::Production => "生产",
            LifeCycleStage::Distribution => "分销",
            LifeCycleStage::Use => "使用",
            LifeCycleStage::EndOfLife => "生命末期",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for LifeCycleStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
