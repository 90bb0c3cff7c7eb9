"""What the secretaries and the organisation department check beside the visits themselves: the
两委 terms and coverage (004 “100%覆盖”, “每届……不少于6次”), personal quotas, 民情分析会, 谈心谈话 and
驻村调研 with their reports."""
