/**
 * ROC AUC from ranks (Mann-Whitney U): the probability that a random outlier
 * scores above a random inlier, ties counting one half. Tied scores share
 * their average rank, so the result does not depend on row order.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  if (scores.length !== n) throw new Error(`AUC needs one score per label: ${n} labels, ${scores.length} scores`);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (label !== 0 && label !== 1) throw new Error(`label ${i} is ${label}: labels must be 0 or 1`);
    if (!Number.isFinite(scores[i]!)) throw new Error(`score ${i} is ${scores[i]}: scores must be finite`);
    positives += label;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) throw new Error(`AUC needs both classes: ${positives} outliers, ${negatives} inliers`);

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    // Ranks start..end-1 (1-based: start+1..end) are tied: each gets their mean.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (labels[order[k]!] === 1) rankSum += rank;
    start = end;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
