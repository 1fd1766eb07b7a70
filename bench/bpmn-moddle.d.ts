/** bpmn-moddle ships no types; the benchmark uses only its XML parser. */
declare module 'bpmn-moddle' {
  export default class BpmnModdle {
    fromXML(xml: string): Promise<unknown>;
  }
}
