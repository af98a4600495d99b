/** The "see inside" views of the selected node (issue 6); built in renderer/inspect/. */
export function InspectPanel() {
  return <div className="inspect" data-testid="inspect-panel" />;
}
