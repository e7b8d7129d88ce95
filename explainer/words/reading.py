"""Words of the reading layer: which layer and row a picture shows, and interventions."""

WORDS = {
    "read.layer": {"en": "layer {layer} of {layers}", "zh": "第 {layer} 层（共 {layers} 层）"},
    "read.row": {"en": "sequence {row} of {rows}", "zh": "第 {row} 条序列（共 {rows} 条）"},
    "read.sep": {"en": " · ", "zh": " · "},
    "read.intervened_item": {"en": "{name} = {what}", "zh": "{name} = {what}"},
}
