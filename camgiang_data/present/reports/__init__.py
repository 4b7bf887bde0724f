"""The presentation of each report: its words (messages/reports/<name>.toml), tables and charts, from the frames
`camgiang_data.analyses.<name>` computes. Nothing here computes a figure."""
