import { Type } from '@sinclair/typebox';

/** The API's error reply (RFC 9457) as route schemas name it; extension members such as `errors` pass through. */
export const ProblemSchema = Type.Object(
  { type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.Optional(Type.String()), instance: Type.Optional(Type.String()) },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);
