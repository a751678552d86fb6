export type PaneProps = {width: number; height: number};
