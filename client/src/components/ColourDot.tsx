/** The vehicle's map colour, so a card and its marker can be matched at a glance. */
export function ColourDot({ colour, dimmed = false }: { colour: string; dimmed?: boolean }) {
  return <span className={dimmed ? "colour-dot colour-dot--dimmed" : "colour-dot"} style={{ backgroundColor: colour }} aria-hidden="true" />;
}
