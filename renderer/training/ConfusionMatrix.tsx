/** confusion[true][predicted] as a heat-map table; the diagonal is what the network got right. */
export function ConfusionMatrix({
  classes,
  confusion,
}: {
  classes: readonly string[];
  confusion: readonly (readonly number[])[];
}) {
  const max = Math.max(1, ...confusion.flat());
  return (
    <table className="confusion" data-testid="confusion-matrix">
      <thead>
        <tr>
          <th className="confusion__corner">true ╲ pred</th>
          {classes.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {confusion.map((row, i) => (
          <tr key={i}>
            <th>{classes[i]}</th>
            {row.map((n, j) => (
              <td
                key={j}
                className={i === j ? 'is-diagonal' : ''}
                style={{ ['--heat' as string]: String(n / max) }}
                title={`${n} samples of ${classes[i]} predicted as ${classes[j]}`}
              >
                {n}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
