"""Words for pictures of long traces: what a binned time axis shows."""

WORDS = {
    "traces.gates.binned": {"en": "binned: {per} steps per column ({columns} columns, each the mean of its steps; "
                                  "labelled with its first step)",
                            "zh": "分箱：每列 {per} 个时间步（共 {columns} 列，每列取其各步的平均值，标注其第一步）"},
}
