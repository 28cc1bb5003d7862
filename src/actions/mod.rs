//! Per action: its parameters and their rules (DeleteImages in full).

pub mod delete_images;
