/** Status tags with dark text on a light fill (the preset colours' text is too light for AA). */
export const TONE_STYLE: Record<
  'blue' | 'green' | 'red' | 'orange' | 'gray',
  { color: string; background: string; borderColor: string }
> = {
  blue: { color: '#0b3f91', background: '#e8f1ff', borderColor: '#a9c8f5' },
  green: { color: '#1d5a0a', background: '#eefbe6', borderColor: '#b4e29a' },
  red: { color: '#9b1c1c', background: '#fdecec', borderColor: '#f3b2b2' },
  orange: { color: '#7a3d00', background: '#fff3e0', borderColor: '#f5c98a' },
  gray: { color: '#3d4550', background: '#f1f3f5', borderColor: '#d5d9de' },
};
